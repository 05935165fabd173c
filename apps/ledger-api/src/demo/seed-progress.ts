import type { SeedProgress } from './seed-demo.js';

export interface ProgressOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const BAR_WIDTH = 24;

/**
 * Prints the seed's progress: on a terminal a bar redrawn in place, one line per task; elsewhere
 * (a log file, CI) one line per finished task, with its duration.
 */
export class SeedProgressPrinter {
  private current: { task: string; startedAt: number; last: SeedProgress } | undefined;
  private readonly startedAt = performance.now();

  constructor(private readonly out: ProgressOutput) {}

  readonly update = (progress: SeedProgress): void => {
    if (this.current?.task !== progress.task) {
      this.endTask();
      this.current = { task: progress.task, startedAt: performance.now(), last: progress };
    }
    this.current.last = progress;
    if (this.out.isTTY) this.out.write(`\r\x1b[2K${this.line(progress)}`);
  };

  /** Ends the last task's line; returns the seconds since the printer was made. */
  finish(): number {
    this.endTask();
    return (performance.now() - this.startedAt) / 1000;
  }

  private endTask(): void {
    if (!this.current) return;
    const seconds = ((performance.now() - this.current.startedAt) / 1000).toFixed(1);
    if (this.out.isTTY) this.out.write(`\r\x1b[2K${this.line(this.current.last)}  ${seconds} s\n`);
    else this.out.write(`  ${this.current.task}: ${this.counted(this.current.last)} (${seconds} s)\n`);
    this.current = undefined;
  }

  private line(progress: SeedProgress): string {
    const share = progress.total > 0 ? progress.done / progress.total : 0;
    const filled = Math.round(share * BAR_WIDTH);
    const bar = progress.total > 0 ? `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${String(Math.round(share * 100)).padStart(3)}%` : `[${'·'.repeat(BAR_WIDTH)}]     `;
    return `  ${bar}  ${progress.task}  ${this.counted(progress)}`;
  }

  private counted(progress: SeedProgress): string {
    if (progress.detail) return progress.detail;
    const done = progress.done.toLocaleString('en-US');
    return progress.total > 0 ? `${done}/${progress.total.toLocaleString('en-US')}` : done;
  }
}
