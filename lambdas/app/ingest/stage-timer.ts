/**
 * Which step of an upload's processing is running, and how long each took. The step names the
 * failure when one throws (the log line's `step`); the times are logged once the upload settles,
 * which is what `npm run bench:e2e` reads to say where an upload's seconds went.
 */

export type UploadStage = 'prepare' | 'decrypt' | 'baseLoad' | 'readValidate' | 'apply' | 'filesWritten' | 'settle';

export class StageTimer {
  private stage: UploadStage = 'prepare';
  private since: number;
  private readonly spent = new Map<UploadStage, number>();

  constructor(private readonly now: () => number = Date.now) {
    this.since = now();
  }

  get current(): UploadStage {
    return this.stage;
  }

  enter(stage: UploadStage): void {
    if (stage === this.stage) return;
    this.close();
    this.stage = stage;
  }

  /** Milliseconds per stage entered so far (the running one up to now), as `{stage}Ms` fields. */
  millis(): Record<string, number> {
    this.close();
    return Object.fromEntries([...this.spent].map(([stage, ms]) => [`${stage}Ms`, ms]));
  }

  private close(): void {
    const at = this.now();
    this.spent.set(this.stage, (this.spent.get(this.stage) ?? 0) + (at - this.since));
    this.since = at;
  }
}
