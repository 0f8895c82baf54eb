/**
 * The docs show what the vendor's page does not state: every element marked
 * `x-provenance: {source: inferred, reason}` (an operation, response, parameter, schema property
 * or enum) gets a badge at the start of its description, with the reason beside it. Redoc renders
 * descriptions as Markdown with inline HTML, so the badge is a plain span: no script, no network.
 */
type Json = Record<string, unknown>;

export const BADGE_TEXT = "inferred, not in the vendor's page";
export const BADGE_CLASS = 'provenance-inferred';

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** `pointer` (the element's JSON pointer in the bundle) lets a test find each element's own badge. */
export function badge(reason: string, pointer: string): string {
  return `<span class="${BADGE_CLASS}" data-provenance="${escapeHtml(pointer)}" title="${escapeHtml(reason)}" style="display:inline-block;padding:0 .45em;border:1px solid #b26b00;border-radius:4px;color:#b26b00;font-size:.8em;font-weight:600">${BADGE_TEXT}</span> <em>${escapeHtml(reason)}</em>`;
}

const inferredReason = (node: Json): string | undefined => {
  const p = node['x-provenance'] as Json | undefined;
  return p?.source === 'inferred' ? String(p.reason ?? '') : undefined;
};

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Every element marked inferred: its JSON pointer in the document and its reason. */
export function inferredElements(doc: Json): Array<{ pointer: string; reason: string }> {
  const out: Array<{ pointer: string; reason: string }> = [];
  const walk = (node: unknown, pointer: string) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) walk(item, `${pointer}/${i}`);
      return;
    }
    const reason = inferredReason(node as Json);
    if (reason !== undefined) out.push({ pointer: pointer || '/', reason });
    for (const [key, child] of Object.entries(node as Json)) {
      if (key !== 'x-provenance' && key !== 'x-codeSamples') walk(child, `${pointer}/${escapePointer(key)}`);
    }
  };
  walk(doc, '');
  return out;
}

/** A copy of the document with a badge in the description of every inferred element. */
export function withProvenanceBadges(doc: Json): { doc: Json; count: number } {
  const out = structuredClone(doc);
  const elements = inferredElements(out);
  for (const { pointer, reason } of elements) {
    const node = pointer
      .split('/')
      .slice(1)
      .reduce<Json>((o, k) => o[k.replace(/~1/g, '/').replace(/~0/g, '~')] as Json, out);
    const text = typeof node.description === 'string' ? node.description : '';
    node.description = `${badge(reason, pointer)}\n\n${text}`;
  }
  return { doc: out, count: elements.length };
}
