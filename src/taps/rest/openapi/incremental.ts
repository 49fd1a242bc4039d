import type { JsonSchema } from '@singer-io-compatible/tap-kit';
import type { Parameter } from './endpoints.js';

export interface IncrementalGuess {
  cursor: string;
  param: string;
  why: string;
}
export interface IncrementalFinding {
  /** A usable incremental: a date-time field and a query parameter filtering on it. */
  found?: IncrementalGuess;
  /** An `updated_at`-like field with no filter parameter: a candidate only (the comment says so). */
  candidate?: string;
}

const CURSOR_FIELDS = ['updated_at', 'updatedat', 'modified_at', 'modifiedat', 'last_modified', 'lastmodified', 'last_modified_at', 'lastmodifiedat', 'updated', 'modified', 'date_updated', 'dateupdated', 'date_modified', 'datemodified', 'updated_time', 'updatedtime', 'update_time', 'updatetime', 'last_updated', 'lastupdated', 'last_updated_at', 'lastupdatedat', 'modified_date', 'modifieddate', 'updated_on', 'updatedon', 'modified_on', 'modifiedon', 'changed_at', 'changedat', 'last_modified_time', 'lastmodifiedtime', 'last_modified_date', 'lastmodifieddate', 'modification_date', 'modificationdate', 'updated_date', 'updateddate'];

function isDateTime(s: JsonSchema | undefined): boolean {
  return !!s && s.format === 'date-time';
}

/** A filter parameter on the cursor: `since`, `updated_since`, `modified_after`, `updated_at[gte]`, `updatedAtFrom`... */
function filterParam(params: Parameter[], cursor: string): Parameter | undefined {
  const q = params.filter((p) => p.in === 'query');
  const c = cursor.toLowerCase().replace(/[^a-z]/g, '');
  const n = (p: Parameter) => p.name.toLowerCase().replace(/[^a-z]/g, '');
  const on = q.filter((p) => n(p).startsWith(c) && /(gte|gt|min|after|from|since|start)$/.test(n(p)));
  if (on[0]) return on[0];
  const named = q.find((p) => /^(updated|modified|changed|lastmodified|lastupdated)(since|after|from|min|gte|gt|start)$|^(since|updatedsince|modifiedsince|changedsince|ifmodifiedsince|updatedafter|modifiedafter|changedafter|minupdatedat|minmodified|updatedmin|modifiedmin|updatedfrom|modifiedfrom|fromupdated|lastmodifiedsince|lastupdatedsince|sinceupdated|updatedatmin|updatedatfrom|updatedatafter|modifiedatafter|updatedatgte)$/.test(n(p)));
  return named;
}

/** An incremental cursor: an `updated_at`-like date-time field of the record and a query parameter filtering on it. */
export function detectIncremental(record: JsonSchema, params: Parameter[]): IncrementalFinding {
  const props = record.properties ?? {};
  const fields = Object.keys(props).filter((k) => isDateTime(props[k]));
  for (const name of CURSOR_FIELDS) {
    const f = fields.find((k) => k.toLowerCase() === name);
    if (!f) continue;
    const p = filterParam(params, f);
    if (p) return { found: { cursor: f, param: p.name, why: `'${f}' filtered by parameter '${p.name}'` } };
    return { candidate: f };
  }
  return {};
}
