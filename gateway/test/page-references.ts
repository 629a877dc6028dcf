/**
 * Finds what a page would load from where: the URLs in its markup's src/href/srcset/action/poster
 * attributes, its CSS's url() and @import, and the arguments of its scripts' loading calls
 * (import(), importScripts, new Worker, fetch, EventSource, WebSocket, a `.src =` or `.href =`),
 * in the page and in the scripts it inlines. URLs that are only text (XML namespaces, JSON schema
 * ids, links in documentation strings) load nothing and are not reported.
 */
export interface PageReference {
  where: string;
  url: string;
}

/** Relative, this machine, or inline: what an offline page may use. */
export function isLocalUrl(url: string): boolean {
  const u = url.trim().replace(/^['"`]|['"`]$/g, '');
  if (/^(data|blob):/i.test(u)) return true;
  if (/^about:blank$/i.test(u)) return true;
  if (/^javascript:/i.test(u)) return false;
  if (u.startsWith('//')) return false; // protocol-relative: another host
  if (!/^[a-z][a-z0-9+.-]*:/i.test(u)) return true; // relative
  try {
    const parsed = new URL(u);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:' || parsed.protocol === 'ws:') && (parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost');
  } catch {
    return false;
  }
}

const ATTRIBUTE = /<[a-z][^>]*?\s(src|href|srcset|action|poster|data|formaction|manifest)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi;
const CSS_URL = /url\(\s*("[^"]*"|'[^']*'|[^)]*)\s*\)/gi;
const CSS_IMPORT = /@import\s+("[^"]*"|'[^']*')/gi;
/** A loading call or assignment whose argument is a literal absolute or protocol-relative URL. */
const SCRIPT_LOAD =
  /(?:\bimport\s*\(|\bimportScripts\s*\(|\bnew\s+(?:Shared)?Worker\s*\(|\bfetch\s*\(|\bnew\s+EventSource\s*\(|\bnew\s+WebSocket\s*\(|\.(?:src|href)\s*=)\s*(["'`])((?:[a-z][a-z0-9+.-]*:)?\/\/[^"'`\s]*)\1/gi;
const SOURCE_MAP = /[#@]\s*sourceMappingURL=(\S+)/g;

/** Every reference of the page; filter with isLocalUrl for the ones that leave the machine. */
export function findReferences(html: string): PageReference[] {
  const found: PageReference[] = [];
  const markup = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script>/gi, '$1</script>').replace(/(<style\b[^>]*>)[\s\S]*?<\/style>/gi, '$1</style>');
  for (const m of markup.matchAll(ATTRIBUTE)) {
    const value = m[2].replace(/^['"]|['"]$/g, '');
    const urls = m[1].toLowerCase() === 'srcset' ? value.split(',').map((s) => s.trim().split(/\s+/)[0]) : [value];
    for (const url of urls) found.push({ where: `<… ${m[1]}>`, url });
  }
  // Styles may be in <style> blocks or inside scripts (a bundle injecting CSS).
  for (const m of html.matchAll(CSS_URL)) found.push({ where: 'css url()', url: m[1].replace(/^['"]|['"]$/g, '') });
  for (const m of html.matchAll(CSS_IMPORT)) found.push({ where: 'css @import', url: m[1].replace(/^['"]|['"]$/g, '') });
  // Scripts, including the workers inlined as JSON strings (their quotes escaped).
  const scripts = html.replace(/\\"/g, '"').replace(/\\'/g, "'");
  for (const m of scripts.matchAll(SCRIPT_LOAD)) found.push({ where: `script ${m[0].slice(0, 40)}`, url: m[2] });
  for (const m of scripts.matchAll(SOURCE_MAP)) found.push({ where: 'sourceMappingURL', url: m[1] });
  return found;
}

export function externalReferences(html: string): PageReference[] {
  return findReferences(html).filter((r) => !isLocalUrl(r.url));
}
