/** singer-taps-ts: everything a Singer tap needs, written once. */
export { defineTap, type Tap, type TapDefinition, type ClientConfig } from './tap.js';
export { rest, childRows, fillPath, type StreamDef, type RestStream, type ChildRowsStream, type StreamContext, type QueryParams } from './stream.js';
export { runTap, parseArgs } from './cli.js';
export { bearer, apiKey, basic, noAuth, type Authenticator, type RequestSpec } from './auth.js';
export { singlePage, nextUrl, linkHeader, cursor, pageNumber, offset, type Paginator, type Page } from './paginators.js';
export { HttpClient, serverDelaySeconds, serverMessage, selectRecords, type RecordSelector } from './http.js';
export { MessageWriter, type SingerMessage, type RecordMessage, type SchemaMessage, type StateMessage, type ActivateVersionMessage } from './messages.js';
export { buildCatalog, resolveSelection, readCatalogFile, type Catalog, type CatalogEntry, type Metadata, type Selection } from './catalog.js';
export { StateManager, StreamProgress, readStateFile, comparable, type StateValue, type Bookmark, type BookmarkValue } from './state.js';
export { RecordConformer, createAjv, toUtc } from './validate.js';
export { loadConfig, validateSettings, builtinSettings, envName, type SettingsSchema } from './settings.js';
export { loadSchemaFile, resolveRefs, keyKind, projectSchema } from './schema.js';
export { Logger, type LogLevel } from './log.js';
export { Redactor } from './redact.js';
export { UserError, HttpError } from './errors.js';
export { aboutInfo, aboutMarkdown, aboutText, CAPABILITIES, KIT_VERSION } from './about.js';
export { getPath, isJsonObject, type JsonObject, type JsonValue, type JsonSchema } from './json.js';
export { toIsoSeconds, toIsoDate, daysBefore } from './time.js';
