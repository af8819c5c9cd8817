// The three JSON inputs look alike from outside (.json, one object), and a file given to the
// wrong flag otherwise fails field by field with a list that never says what went wrong.

export type JsonFileKind = 'layer file' | 'network file' | 'architecture file';

const KINDS: { kind: JsonFileKind; flag: string; keys: string[] }[] = [
  { kind: 'network file', flag: '--network', keys: ['layers'] },
  { kind: 'layer file', flag: '--layer', keys: ['shape', 'type'] },
  { kind: 'architecture file', flag: '--arch', keys: ['clusterRows', 'clusterCols', 'peRows', 'peCols', 'spads', 'glb', 'noc'] },
];

const hasAny = (o: object, keys: string[]): string[] => keys.filter((k) => Object.hasOwn(o, k));
const article = (kind: JsonFileKind): string => (kind.startsWith('a') ? `an ${kind}` : `a ${kind}`);

/**
 * Throws when `json`, read as a `want`, has none of its kind's keys but those of another kind:
 * the message names the kind it looks like and the flag that takes it.
 */
export function refuseOtherKind(json: unknown, file: string, want: JsonFileKind): void {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return;
  const own = KINDS.find((k) => k.kind === want)!;
  if (hasAny(json, own.keys).length > 0) return;
  for (const other of KINDS) {
    if (other.kind === want) continue;
    const seen = hasAny(json, other.keys);
    if (seen.length === 0) continue;
    const keys = seen.slice(0, 3).map((k) => `"${k}"`);
    throw new Error(
      `${file}: this looks like ${article(other.kind)} (it has ${keys.join(', ')}), not ${article(want)}; ` +
        `fix: ${own.flag} takes ${article(want)} (docs/run.md); give this file to \`eyeriss run ${other.flag}\``,
    );
  }
}
