/**
 * `--format html`: the graph viewer as one self-contained file (scripts, styles and the report
 * inlined; the page's Content Security Policy lets it load nothing), which opens from disk.
 */
import type { Report } from '../types';
import { viewerPage } from '../../viz/page';

export function renderHtml(report: Report): string {
  return viewerPage({ report });
}
