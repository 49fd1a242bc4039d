// --only: comma-separated globs on a resource's name or path; the matching resources and the parents they need.
import { describe, it, expect } from 'vitest';
import { onlyMatcher } from '../../../src/taps/rest/openapi/only.js';
import { generate } from '../../../src/taps/rest/openapi/generate.js';
import { get, openapi, source, user } from './support.js';

const list = (props: Record<string, unknown>) => ({ type: 'array', items: { type: 'object', properties: props } });
const id = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'integer' } });
const doc = openapi({
  '/customers': get(list({ id: { type: 'integer' }, email: { type: 'string' } })),
  '/customers/{customer_id}': get(user, [id('customer_id')]),
  '/customers/{customer_id}/orders': get(list({ order_id: { type: 'integer' } }), [id('customer_id')]),
  '/invoices': get(list({ id: { type: 'integer' } })),
  '/invoices/{invoice_id}/lines': get(list({ line: { type: 'integer' } }), [id('invoice_id')]),
  '/products': get(list({ sku: { type: 'string' } })),
  '/admin/audit_log': get(list({ at: { type: 'string' } })),
});
const names = (only?: string) => generate(source(doc), only).resources.map((r) => r.name);

describe('--only', () => {
  it('the matcher: comma-separated globs, * any text (slashes too), trimmed, case-insensitive, against the name or the path', () => {
    const m = onlyMatcher(' customers , invoice* ');
    expect(m('customers', '/customers')).toBe(true);
    expect(m('invoices', '/invoices')).toBe(true);
    expect(m('invoice_items', '/x')).toBe(true);
    expect(m('customers_by_customer_id', '/customers/{customer_id}')).toBe(false);
    expect(onlyMatcher('CUSTOMERS')('customers', '/customers')).toBe(true);
    expect(onlyMatcher('/customers/*')('x', '/customers/{customer_id}/orders')).toBe(true);
    // Characters a regular expression reads are literal: '.' is a dot, '{id}' braces, '?' a question mark.
    expect(onlyMatcher('/a.b')('x', '/aXb')).toBe(false);
    expect(onlyMatcher('/a.b')('x', '/a.b')).toBe(true);
    expect(onlyMatcher('/things/{id}')('x', '/things/{id}')).toBe(true);
    expect(onlyMatcher('user?')('users', '/users')).toBe(false);
    // A glob matches the whole name or path, not a part of it.
    expect(onlyMatcher('orders')('customer_orders', '/customer/orders')).toBe(false);
    expect(onlyMatcher(',')('customers', '/customers')).toBe(false);
  });
  it('a comma list: the resources it names, their parents, nothing else', () => {
    expect(names()).toEqual(['customers', 'customers_by_customer_id', 'orders', 'invoices', 'lines', 'products', 'audit_log']);
    expect(names('customers,invoice*')).toEqual(['customers', 'invoices']);
    // A child brings its parent; a parent does not bring its children.
    expect(names('lines,products')).toEqual(['invoices', 'lines', 'products']);
    const g = generate(source(doc), 'lines,products');
    expect(g.skipped.filter((s) => s.reason === 'not matched by --only lines,products').map((s) => s.path)).toEqual(['/customers', '/customers/{customer_id}', '/customers/{customer_id}/orders', '/admin/audit_log']);
    // The child written reads its parent's records.
    expect(g.resources.find((r) => r.name === 'lines')?.config.endpoint).toMatchObject({ path: '/invoices/{resources.invoices.id}/lines' });
  });
  it('a path glob: every path under it, with the parents they need', () => {
    expect(names('/customers/*')).toEqual(['customers', 'customers_by_customer_id', 'orders']);
    expect(names('/customers/*/orders')).toEqual(['customers', 'orders']);
    expect(names('/admin/*')).toEqual(['audit_log']);
    expect(names('/admin/*, /products')).toEqual(['products', 'audit_log']);
  });
  it('nothing matched: no resource', () => {
    expect(names('nothing*')).toEqual([]);
  });
});
