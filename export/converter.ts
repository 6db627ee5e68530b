/**
 * One converter per target behind one interface (kompose's shape): each is fed the same
 * ExportInput and returns one file's text; what it cannot express goes into `notes`.
 */
import type { ExportInput, Target } from './input';
import type { Notes } from './notes';

export interface Converter {
  target: Target;
  /** The file written under `--out`. */
  file: string;
  /** One line for `--help`. */
  summary: string;
  convert(input: ExportInput, notes: Notes): string;
}
