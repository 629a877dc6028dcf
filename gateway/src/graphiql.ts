import { IncomingMessage } from 'node:http';
import Negotiator from 'negotiator';
import { StaticPage, staticPage } from '@ap/http';
import { EXAMPLE_TABS } from './graphiql-examples';
import { INTROSPECTION_ROLE } from './introspection-gate';

/**
 * GraphiQL, served by the gateway from the page @graphql-yoga/render-graphiql renders: its
 * JavaScript, CSS, fonts, Monaco's workers (as blob: URLs) and the Explorer plugin are all inline,
 * so the page needs nothing but this gateway (an LA's network may reach no CDN). Apollo's own
 * landing pages load from a CDN, even the "embedded" ones, hence not those.
 *
 * Around it, a bar for the access token: pasted once, kept in sessionStorage (gone with the tab),
 * added to every request this page sends to the gateway, and checked at once by asking for the
 * schema, so a role that may not introspect reads the gateway's reason instead of an empty docs pane.
 */
export const GRAPHIQL_PATH = '/graphiql';

/** Served on /graphiql, and on /graphql to a browser (a GET preferring text/html, as Apollo's landing pages are). */
export function graphiqlRoute(): (req: IncomingMessage, url: URL) => { page: StaticPage; vary?: string[] } | undefined {
  const page = graphiqlPage();
  return (req, url) => {
    if (url.pathname === GRAPHIQL_PATH) return { page };
    if (url.pathname === '/graphql' && prefersHtml(req)) return { page, vary: ['Accept'] };
    return undefined;
  };
}

/** The media types /graphql answers; a browser's Accept ranks text/html first, a GraphQL client's does not. */
function prefersHtml(req: IncomingMessage): boolean {
  return new Negotiator(req).mediaType(['application/graphql-response+json', 'application/json', 'text/html']) === 'text/html';
}

/**
 * What the page may load: itself, the gateway it came from, and inline data. The browser enforces
 * it, so a CDN reference slipped in by a future version of the renderer fails loudly instead of
 * quietly needing the internet. Monaco's workers start from blob: URLs; GraphiQL's bundle needs eval.
 */
export const GRAPHIQL_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function graphiqlPage(): StaticPage {
  return staticPage({
    contentType: 'text/html; charset=utf-8',
    render: renderPage,
    headers: {
      'content-security-policy': GRAPHIQL_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
  });
}

/** The page's HTML (about 9 MB): loaded on first use, so a gateway nobody browses never reads the bundle. */
export function renderPage(): string {
  // Its typings import graphql-yoga's, which pull the DOM library into the whole workspace's types.
  const { renderGraphiQL } = require('@graphql-yoga/render-graphiql') as { renderGraphiQL(options: GraphiQLOptions): string };
  const html = renderGraphiQL({
    title: 'AP Pathways',
    endpoint: '/graphql',
    defaultTabs: EXAMPLE_TABS,
    // The token lives in the bar above, never in storage that outlives the tab.
    shouldPersistHeaders: false,
    isHeadersEditorEnabled: true,
    defaultEditorToolsVisibility: 'variables',
  });
  const head = html.indexOf('</head>');
  const root = html.indexOf('<div id="root"></div>');
  if (head < 0 || root < 0 || root < head) throw new Error('@graphql-yoga/render-graphiql rendered a page of an unexpected shape; check its version');
  return html.slice(0, head) + TOKEN_HEAD + html.slice(head, root) + TOKEN_BAR + html.slice(root);
}

/** The options of renderGraphiQL used here (graphql-yoga's GraphiQLOptions). */
interface GraphiQLOptions {
  title: string;
  endpoint: string;
  defaultTabs: { query: string; variables?: string }[];
  shouldPersistHeaders: boolean;
  isHeadersEditorEnabled: boolean;
  defaultEditorToolsVisibility: boolean | 'variables' | 'headers';
}

const TOKEN_KEY = 'ap-pathways.token';

/** Before GraphiQL's own script: every request this page makes to its gateway carries the token. */
const TOKEN_HEAD = `<style>
  body { display: flex; flex-direction: column; height: 100vh; }
  #root { flex: 1; min-height: 0; }
  #root > .graphiql-container { height: 100%; }
  #ap-token { display: flex; gap: 8px; align-items: center; padding: 6px 12px; font: 14px system-ui, sans-serif;
    background: #f4f6f8; border-bottom: 1px solid #d0d7de; }
  #ap-token input { flex: 0 1 28em; font: 13px ui-monospace, monospace; padding: 4px 6px; }
  #ap-token button { font: inherit; padding: 3px 10px; }
  #ap-token-status { flex: 1; color: #444; }
  #ap-token-status.ap-problem { color: #b00020; }
</style>
<script>
(function () {
  var KEY = ${JSON.stringify(TOKEN_KEY)};
  var original = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var token = sessionStorage.getItem(KEY);
    var url = new URL(typeof input === 'string' || input instanceof URL ? String(input) : input.url, location.href);
    if (token && url.origin === location.origin) {
      var headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
      // A header typed in GraphiQL's headers editor wins over the bar.
      if (!headers.has('authorization')) headers.set('authorization', 'Bearer ' + token);
      init = Object.assign({}, init, { headers: headers });
    }
    return original(input, init);
  };
})();
</script>
`;

/** The token bar, and its check: ask for the schema with the token, and say what the gateway answered. */
const TOKEN_BAR = `<form id="ap-token" autocomplete="off">
  <label for="ap-token-input">Access token</label>
  <input id="ap-token-input" type="password" spellcheck="false"
    placeholder="paste the output of: npm run -s token -- --role ${INTROSPECTION_ROLE} --org la:865" />
  <button id="ap-token-use" type="submit">Use token</button>
  <button id="ap-token-forget" type="button">Forget</button>
  <span id="ap-token-status" role="status"></span>
</form>
<script>
(function () {
  var KEY = ${JSON.stringify(TOKEN_KEY)};
  var form = document.getElementById('ap-token');
  var input = document.getElementById('ap-token-input');
  var status = document.getElementById('ap-token-status');
  function say(text, problem) {
    status.textContent = text;
    status.className = problem ? 'ap-problem' : '';
  }
  function claims(token) {
    try {
      return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    } catch (e) {
      return null;
    }
  }
  function refetchSchema() {
    var button = document.querySelector('[aria-label^="Re-fetch GraphQL schema"]');
    if (button) button.click();
  }
  function check() {
    var token = sessionStorage.getItem(KEY);
    if (!token) {
      say('No token: paste one to run operations. The schema (docs, completion) is for ${INTROSPECTION_ROLE} only.', true);
      return;
    }
    var c = claims(token);
    var who = c ? c.role + ' for ' + c.org + (c.exp ? ', until ' + new Date(c.exp * 1000).toLocaleTimeString() : '') : 'an unreadable token';
    fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query TokenCheck { __schema { queryType { name } } }' }),
    })
      .then(function (res) { return res.json(); })
      .then(function (body) {
        var error = body.errors && body.errors[0];
        if (!error) {
          say('Signed in as ' + who + '. Schema loaded: the docs and completion are on.', false);
        } else if (error.extensions && error.extensions.code === 'FORBIDDEN') {
          say('Signed in as ' + who + '. You can run operations; the docs pane stays empty because: ' + error.message, true);
        } else {
          say(error.message, true);
        }
        refetchSchema();
      })
      .catch(function (e) { say('The gateway did not answer: ' + e.message, true); });
  }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var token = input.value.trim().replace(/^Bearer\\s+/i, '');
    input.value = '';
    if (token) sessionStorage.setItem(KEY, token);
    check();
  });
  document.getElementById('ap-token-forget').addEventListener('click', function () {
    sessionStorage.removeItem(KEY);
    check();
  });
  check();
})();
</script>
`;
