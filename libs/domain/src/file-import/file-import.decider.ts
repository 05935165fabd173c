import { unreachable, type Decider } from '../decider.js';
import { Conflict, InvalidValue } from '../shared/index.js';
import { FileImportEventType, LINE_OUTCOMES, type FileImportEvent, type FileImportStarted, type LineOutcome, type ReconciledLine } from './file-import.events.js';

export type FileImportCommand =
  | { readonly type: 'StartFileImport'; readonly data: FileImportStarted['data'] }
  | { readonly type: 'RecordReconciledLines'; readonly data: { readonly chunk: number; readonly lines: readonly ReconciledLine[] } }
  | { readonly type: 'CompleteFileImport'; readonly data: { readonly completedAt: string } };

export interface FileImportState {
  readonly started: FileImportStarted['data'] | null;
  /** Chunks recorded so far: an interrupted import carries on with the others. */
  readonly chunks: ReadonlySet<number>;
  readonly counts: Readonly<Record<LineOutcome, number>>;
  readonly completedAt: string | null;
}

export const noLineCounts = (): Record<LineOutcome, number> => Object.fromEntries(LINE_OUTCOMES.map((outcome) => [outcome, 0])) as Record<LineOutcome, number>;

export const initialFileImportState = (): FileImportState => ({ started: null, chunks: new Set(), counts: noLineCounts(), completedAt: null });

export function evolveFileImport(state: FileImportState, event: FileImportEvent): FileImportState {
  switch (event.type) {
    case FileImportEventType.Started:
      return { ...state, started: event.data };
    case FileImportEventType.LinesReconciled: {
      const counts = { ...state.counts };
      for (const line of event.data.lines) counts[line.outcome] += 1;
      return { ...state, chunks: new Set([...state.chunks, event.data.chunk]), counts };
    }
    case FileImportEventType.Completed:
      return { ...state, completedAt: event.data.completedAt };
    default:
      return unreachable(event);
  }
}

/**
 * An import is begun once per file content, its lines recorded chunk by chunk, and completed when every
 * line is accounted for. Starting a file already begun, recording a chunk already recorded, or
 * completing twice changes nothing: that is how an interrupted import is finished by importing again.
 */
export function decideForFileImport(command: FileImportCommand, state: FileImportState): readonly FileImportEvent[] {
  switch (command.type) {
    case 'StartFileImport': {
      if (state.started) {
        if (state.started.sha256 !== command.data.sha256) throw new Conflict('IMPORT_ID_IN_USE', 'Another file was imported under this id');
        return [];
      }
      if (!/^[0-9a-f]{64}$/.test(command.data.sha256)) throw new InvalidValue('sha256', 'sha256 must be 64 lowercase hex digits');
      return [{ type: FileImportEventType.Started, data: command.data }];
    }
    case 'RecordReconciledLines': {
      const started = assertStarted(state);
      if (state.chunks.has(command.data.chunk)) return [];
      if (state.completedAt !== null) throw new Conflict('IMPORT_COMPLETED', 'The import is complete: no more lines can be recorded');
      if (linesRecorded(state) + command.data.lines.length > started.lineCount) throw new InvalidValue('lines', 'More lines recorded than the file has');
      return [{ type: FileImportEventType.LinesReconciled, data: { chunk: command.data.chunk, lines: [...command.data.lines] } }];
    }
    case 'CompleteFileImport': {
      const started = assertStarted(state);
      if (state.completedAt !== null) return [];
      const recorded = linesRecorded(state);
      // Complete means every line of the file has its outcome recorded: never a report with lines missing.
      if (recorded !== started.lineCount) {
        throw new Conflict('IMPORT_INCOMPLETE', `${started.lineCount - recorded} lines of the file have no recorded outcome yet`, { recorded, lineCount: started.lineCount });
      }
      return [{ type: FileImportEventType.Completed, data: { counts: { ...state.counts }, completedAt: command.data.completedAt } }];
    }
    default:
      return unreachable(command);
  }
}

export const linesRecorded = (state: FileImportState): number => Object.values(state.counts).reduce((sum, count) => sum + count, 0);

function assertStarted(state: FileImportState): FileImportStarted['data'] {
  if (!state.started) throw new Conflict('IMPORT_NOT_STARTED', 'No import with this id has begun');
  return state.started;
}

export const fileImportDecider: Decider<FileImportCommand, FileImportEvent, FileImportState> = {
  decide: decideForFileImport,
  evolve: evolveFileImport,
  initialState: initialFileImportState,
};
