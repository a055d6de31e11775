import type { BranchMove, CommitRecorded } from './history-invariants';

/** The output of each process of a pipeline, with a key unique to the process. */
export type ProcessOutputs = () => { key: string; output: string }[];

/**
 * Reads the promoter's own account of a mirror from the processes' pino JSON lines, as they are
 * printed (running, killed or stopped processes alike): every branch move ("mirror branch
 * moved") and every commit record ("commit recorded on the mirror"), so that no move made
 * between two polls of lakeFS goes unseen.
 */
export class PipelineLog {
  private readonly consumed = new Map<string, { chars: number; lines: number }>();

  constructor(
    private readonly outputs: ProcessOutputs,
    private readonly mirror: string,
  ) {}

  /** What was logged since the last call (only whole lines). */
  read(): { moves: BranchMove[]; records: CommitRecorded[] } {
    const moves: BranchMove[] = [];
    const records: CommitRecorded[] = [];
    for (const { key, output } of this.outputs()) {
      const position = this.consumed.get(key) ?? { chars: 0, lines: 0 };
      const end = output.lastIndexOf('\n') + 1;
      if (end <= position.chars) continue;
      let line = position.lines;
      for (const text of output.slice(position.chars, end).split('\n').slice(0, -1)) {
        line++;
        const entry = parseLine(text);
        if (entry?.mirror !== this.mirror || typeof entry.commit !== 'string' || typeof entry.time !== 'number') continue;
        if (entry.msg === 'mirror branch moved' && typeof entry.branch === 'string') {
          moves.push({ branch: entry.branch, from: typeof entry.from === 'string' ? entry.from : undefined, to: entry.commit, at: entry.time, seenBy: 'log' });
        } else if (entry.msg === 'commit recorded on the mirror') {
          records.push({ commit: entry.commit, at: entry.time, process: key, line });
        }
      }
      this.consumed.set(key, { chars: end, lines: line });
    }
    return { moves, records };
  }
}

function parseLine(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
