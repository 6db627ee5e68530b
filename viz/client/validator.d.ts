/** report.schema.json compiled to code at build time (ajv standalone, see viz/build.ts): no code generation in the page. */
declare module 'virtual:report-validator' {
  const validate: ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
  export default validate;
}
