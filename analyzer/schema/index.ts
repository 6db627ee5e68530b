import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import schema from './report.schema.json';

let validator: ValidateFunction | undefined;

/** Validates a report against report.schema.json; returns readable errors (`/path: message`), none when valid. */
export function validateReport(report: unknown): string[] {
  validator ??= new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(schema);
  if (validator(report)) return [];
  return (validator.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
}

export { schema as reportSchema };
