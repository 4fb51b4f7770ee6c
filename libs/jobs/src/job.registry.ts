import { Injectable } from '@nestjs/common';

export interface JobContext {
  id: string;
  params: Record<string, unknown>;
  createdBy: string | null;
  /** Where the job writes its file (in DATA_DIR, shared by API and worker processes). */
  filePath: string;
  /** Reports progress; cheap enough to call per item (written at most once a second). */
  progress(done: number, total?: number): Promise<void>;
}

export interface JobOutcome {
  fileName?: string;
  fileType?: string;
  result?: Record<string, unknown>;
}

/** A kind of background job; feature modules register theirs at start. */
export interface JobHandler {
  readonly kind: string;
  /** File extension of the job's output (pdf, xlsx …), if it writes one. */
  readonly extension?: string;
  /** Jobs of this kind running at once across all processes (heavy kinds: exports). */
  readonly maxRunning?: number;
  run(context: JobContext): Promise<JobOutcome>;
}

@Injectable()
export class JobRegistry {
  private readonly handlers = new Map<string, JobHandler>();

  register(handler: JobHandler): void {
    this.handlers.set(handler.kind, handler);
  }

  get(kind: string): JobHandler | undefined {
    return this.handlers.get(kind);
  }

  kinds(): string[] {
    return [...this.handlers.keys()];
  }

  /** Kinds with their own limit of jobs running at once. */
  limits(): Record<string, number> {
    return Object.fromEntries(
      [...this.handlers.values()].filter((h) => h.maxRunning).map((h) => [h.kind, h.maxRunning!]),
    );
  }
}
