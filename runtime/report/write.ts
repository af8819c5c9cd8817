// The reports every run writes beside its results: layers.csv and report.html.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { layersCsv } from './csv.js';
import { reportHtml, type ReportInput } from './html.js';

export const REPORT_FILES = ['layers.csv', 'report.html'] as const;

export async function writeReports(dir: string, r: ReportInput): Promise<void> {
  await writeFile(path.join(dir, 'layers.csv'), layersCsv(r.results));
  await writeFile(path.join(dir, 'report.html'), reportHtml(r));
}
