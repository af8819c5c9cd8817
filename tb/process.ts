import { execa, type ResultPromise } from 'execa';

const STDERR_TAIL = 8192;

/** Why a simulator process ended, in words a test author can act on. */
function describeExit(code: number | undefined, signal: string | undefined): string {
  if (signal) return `it was killed by ${signal}`;
  switch (code) {
    case 0:
      return 'it exited';
    case 3:
      return 'the design stopped with an error ($stop, $fatal or a failed assertion)';
    case 4:
      return 'the driver rejected a request (a harness bug: please report it with the last command)';
    case 5:
      return 'the design called $finish';
    case 6:
      return 'a port the harness read was X or Z (Icarus): the design depends on a value no reset or input set';
    default:
      return `it exited with code ${code}`;
  }
}

// Stream requests can hold hundreds of thousands of rows; only their head helps a reader.
function summarize(request: string): string {
  const shown = 6;
  const head = request.split('\n', shown).filter((l) => l !== '');
  let count = 0;
  for (let i = request.indexOf('\n'); i !== -1; i = request.indexOf('\n', i + 1)) count++;
  return count > shown ? `${head.join(' | ')} | ... (${count} lines)` : head.join(' | ') || '(empty batch)';
}

/**
 * One running simulator binary. Requests are sent whole and answered whole (the reply ends
 * with a `.` line); each has a deadline after which the process is killed, so a wedged or
 * crashed simulator always turns into an Error instead of a hang.
 */
export class SimProcess {
  private readonly child: ResultPromise<{ stdin: 'pipe'; stdout: 'pipe'; stderr: 'pipe'; buffer: false; reject: false }>;
  private stderrTail = '';
  private partial = '';
  private reply: string[] = [];
  private pending?: { resolve: (lines: string[]) => void; reject: (e: Error) => void };
  private lastRequest = '(none)';
  private failure?: Error;
  private exited = false;
  private closing = false;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly exit: Promise<void>;

  constructor(
    readonly name: string,
    binary: string,
    args: string[],
    private readonly timeoutMs: number,
  ) {
    this.child = execa(binary, args, { stdin: 'pipe', stdout: 'pipe', stderr: 'pipe', buffer: false, reject: false });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onStdout(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL);
    });
    // A write to a dead process fails with EPIPE; the exit handler reports the real cause.
    this.child.stdin.on('error', () => {});
    this.exit = this.child.then((r) => {
      this.exited = true;
      if (this.failure || (r.exitCode === 0 && !r.signal && this.closing)) return;
      if (r.exitCode === undefined && !r.signal) this.fail(`simulator '${this.name}' could not start: ${r.shortMessage ?? r.message}`);
      else this.fail(`simulator '${this.name}' died: ${describeExit(r.exitCode, r.signal)}`);
    });
  }

  /** The last lines the design and Verilator printed; the driver sends all design output to stderr. */
  get stderr(): string {
    return this.stderrTail;
  }

  private onStdout(chunk: string): void {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      this.reply.push(line);
      if (line.startsWith('.')) {
        const done = this.reply;
        this.reply = [];
        const p = this.pending;
        this.pending = undefined;
        p?.resolve(done);
      }
    }
  }

  private fail(reason: string): Error {
    const tail = this.stderrTail.trimEnd();
    const err = new Error(
      `${reason}\nlast command: ${this.lastRequest}` + (tail ? `\nsimulator stderr (tail):\n${tail}` : '\n(simulator printed nothing on stderr)'),
    );
    this.failure ??= err;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(this.failure);
    return this.failure;
  }

  /** Sends request lines (without the closing `.`) and resolves with the reply lines, the `.` line last. */
  request(lines: string, timeoutMs = this.timeoutMs): Promise<string[]> {
    const run = this.queue.then(() => this.send(lines, timeoutMs));
    this.queue = run.catch(() => {});
    return run;
  }

  private send(lines: string, timeoutMs: number): Promise<string[]> {
    if (this.failure) return Promise.reject(this.failure);
    this.lastRequest = summarize(lines);
    return new Promise<string[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(
          this.fail(`simulator '${this.name}' stopped answering within ${timeoutMs} ms; the watchdog killed it (raise timeoutMs if the request is just long)`),
        );
      }, timeoutMs);
      this.pending = {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.child.stdin.write(`${lines}.\n`);
    });
  }

  /** Asks the simulator to finish its waveform and exit; kills it if it does not within the deadline. */
  async close(): Promise<void> {
    await this.queue;
    if (!this.exited && !this.failure) {
      this.closing = true;
      this.lastRequest = 'q (close)';
      this.child.stdin.end('q\n');
      const timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        this.fail(`simulator '${this.name}' did not exit within ${this.timeoutMs} ms of close; the watchdog killed it`);
      }, this.timeoutMs);
      await this.exit;
      clearTimeout(timer);
    } else if (!this.exited) {
      this.child.kill('SIGKILL');
      await this.exit;
    }
    if (this.failure && this.closing) throw this.failure;
  }
}
