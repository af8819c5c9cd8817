// Fixes the graph's dynamic dims from --input-shape, folds every node whose inputs are all
// constant (PyTorch's Shape -> Gather -> Unsqueeze -> Concat -> Reshape flatten, say) and infers
// the shape of every tensor, so a mapping problem anywhere in the network shows before any work.
import { HOST_OPS, HostOpError, hostOutputShapes, runHostOp } from '../../golden/host/ops.js';
import { tensor, type Tensor } from '../../golden/host/tensor.js';
import { OnnxImportError, type OnnxGraph, type OnnxNode } from './read-model.js';

export interface ShapedGraph {
  graph: OnnxGraph;
  input: { name: string; shape: number[] };
  /** The nodes left to run, in order: what is constant was folded into `consts`. */
  nodes: OnnxNode[];
  shapes: Map<string, number[]>;
  consts: Map<string, Tensor>;
}

/** The input's concrete shape: the file's dims with dynamic ones taken from --input-shape (e.g. "1x3x224x224"). */
export function inputShape(g: OnnxGraph, given: string | undefined): number[] {
  const dims = g.inputs[0]!.dims;
  const name = g.inputs[0]!.name;
  const shown = `[${dims.join(', ')}]`;
  if (given === undefined) {
    if (dims.every((d) => typeof d === 'number')) return dims;
    throw new OnnxImportError(
      `${g.file}: input ${name} has dynamic dims ${shown}; fix: give --input-shape ${dims.map((d) => (typeof d === 'number' ? d : 1)).join('x')} (the sizes to run)`,
    );
  }
  const shape = given.split('x').map((d) => (/^\d+$/.test(d) ? Number(d) : NaN));
  if (shape.some((d) => !(d > 0)) || shape.length !== dims.length)
    throw new OnnxImportError(
      `--input-shape ${given}: must be ${dims.length} positive whole numbers joined by 'x' for input ${name} ${shown}, e.g. 1x3x224x224`,
    );
  dims.forEach((d, i) => {
    if (typeof d === 'number' && d !== shape[i])
      throw new OnnxImportError(`--input-shape ${given}: dim ${i} of input ${name} is fixed at ${d} in the model ${shown}; fix: give ${d} there`);
  });
  return shape;
}

const describe = (e: unknown): string => (e instanceof HostOpError || e instanceof RangeError ? e.message : String(e));

function shapeNode(sg: ShapedGraph, n: OnnxNode): void {
  const where = `${sg.graph.file}: node ${n.name} (${n.op})`;
  if (!HOST_OPS.has(n.op))
    throw new OnnxImportError(`${where}: operator ${n.op} is not supported; fix: export without it (supported: ${[...HOST_OPS].sort().join(', ')})`);
  for (const i of n.inputs) {
    if (i !== '' && !sg.shapes.has(i) && !sg.consts.has(i))
      throw new OnnxImportError(`${where}: input ${i} is not produced before this node (the graph is not in topological order)`);
  }
  const constInputs = n.inputs.map((i) => (i === '' ? null : (sg.consts.get(i) ?? null)));
  const call = { op: n.op, opset: sg.graph.opset, attrs: n.attrs };
  try {
    if (n.op === 'Shape') {
      // Opset 15's start/end slice the dims, negative from the end.
      const dims = sg.shapes.get(n.inputs[0]!) ?? constInputs[0]!.shape;
      const at = (k: unknown, dflt: number): number => (typeof k === 'number' ? (k < 0 ? Math.max(0, dims.length + k) : Math.min(k, dims.length)) : dflt);
      const kept = dims.slice(at(n.attrs['start'], 0), at(n.attrs['end'], dims.length));
      sg.consts.set(n.outputs[0]!, tensor([kept.length], kept));
      return;
    }
    if (n.inputs.every((i, k) => i === '' || constInputs[k] !== null)) {
      runHostOp({ ...call, inputs: constInputs }).forEach((t, k) => {
        if (n.outputs[k]) sg.consts.set(n.outputs[k], t);
      });
      return;
    }
    const inputShapes = n.inputs.map((i) => (i === '' ? null : (sg.shapes.get(i) ?? sg.consts.get(i)!.shape)));
    hostOutputShapes({ ...call, inputShapes, constInputs }).forEach((s, k) => {
      if (n.outputs[k]) sg.shapes.set(n.outputs[k], s);
    });
  } catch (e) {
    if (e instanceof OnnxImportError) throw e;
    throw new OnnxImportError(`${where}: ${describe(e)}`);
  }
  sg.nodes.push(n);
}

export function shapeGraph(g: OnnxGraph, shape: number[]): ShapedGraph {
  const input = { name: g.inputs[0]!.name, shape };
  const sg: ShapedGraph = { graph: g, input, nodes: [], shapes: new Map([[input.name, shape]]), consts: new Map(g.consts) };
  for (const n of g.nodes) shapeNode(sg, n);
  for (const o of g.outputs) {
    if (!sg.shapes.has(o))
      throw new OnnxImportError(`${g.file}: graph output ${o} is ${sg.consts.has(o) ? 'a constant' : 'never produced'}; fix: export the network again`);
  }
  return sg;
}
