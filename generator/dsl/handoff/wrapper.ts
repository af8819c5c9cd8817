import { defineModule, type IoHandles, type ModuleDef } from '../module.js';
import type { AnyHandle } from '../handles.js';

/** The instance name of the parameter-named module inside its wrapper. */
export const WRAPPED_INSTANCE = 'core';

/**
 * A module with a fixed name (`eyeriss_chip`, say) and exactly the ports of `def`, around one
 * instance of it. A top's own name encodes its parameters and changes with each of them; an
 * SoC that instantiates the wrapper needs no edit when a parameter does.
 */
export function fixedNameWrapper<P>(def: ModuleDef<P, IoHandles>, name: string): ModuleDef<P, IoHandles> {
  return defineModule(
    name,
    (m, params: P) => {
      const core = m.instance(WRAPPED_INSTANCE, def, params) as Record<string, AnyHandle>;
      const ports: Record<string, AnyHandle> = {};
      for (const decl of m.instances.at(-1)!.module.io) {
        if (decl.direction === 'input') {
          const port = m.input(decl.name, decl.type);
          m.connect(core[decl.name]!, port);
          ports[decl.name] = port;
        } else {
          const port = m.output(decl.name, decl.type);
          m.connect(port, core[decl.name]!);
          ports[decl.name] = port;
        }
      }
      return ports;
    },
    { nameFor: () => name },
  );
}
