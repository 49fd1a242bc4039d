// swagger2openapi ships no types: the one function tap-rest init calls (a CommonJS module: its exports are the default).
declare module 'swagger2openapi' {
  const converter: { convertObj(swagger: unknown, options: Record<string, unknown>): Promise<{ openapi: unknown }> };
  export default converter;
}
