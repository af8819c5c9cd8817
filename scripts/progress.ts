// Progress of a long command: a cli-progress bar when the stream is a terminal, else plain lines
// (logs and pipes get no control characters). Used by `run` and `npm run paper`.
import cliProgress from 'cli-progress';

export interface Progress {
  /** `done` of `total` finished, the last one `item`; `line`, when given, is what a non-terminal gets. */
  update(done: number, total: number, item: string, line?: string): void;
  /** Ends the bar and clears it, so the command's own closing lines follow on a clean line. */
  stop(): void;
}

export function progress(label: string, stream: NodeJS.WriteStream): Progress {
  const bar = stream.isTTY
    ? new cliProgress.SingleBar(
        { format: `${label} {bar} {value}/{total} {item}`, stream, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  bar?.start(0, 0, { item: '' });
  return {
    update: (done, total, item, line) => {
      if (bar === null) {
        if (line !== undefined) stream.write(`${line}\n`);
        return;
      }
      bar.setTotal(total);
      bar.update(done, { item });
    },
    stop: () => bar?.stop(),
  };
}
