// first: the worker loads TypeScript again; V8's code cache makes that ~3x cheaper
import { loadTypeScriptFromCodeCache, saveTypeScriptCodeCache } from './ts-code-cache';
loadTypeScriptFromCodeCache();
import { parentPort, workerData } from 'node:worker_threads';
import type { ScanOptions } from '../scan';
import { parseFile } from './file';

/** A parse worker: receives batches of [file, id], answers with their FileFacts. */
const { scanOptions } = workerData as { scanOptions: ScanOptions };
parentPort!.on('message', (batch: [string, string][] | null) => {
  // null: no more work; closing the port lets the thread end normally (and the code cache be saved)
  if (batch === null) {
    saveTypeScriptCodeCache();
    parentPort!.close();
  }
  else parentPort!.postMessage(batch.map(([file, id]) => parseFile(file, id, scanOptions)));
});
parentPort!.postMessage('ready');
