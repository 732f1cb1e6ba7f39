/**
 * The card preview page, acting as an EHR would: it reads the discovery document, builds the hook request in
 * the browser, gets a short-lived JWT from the embedded demo issuer and calls POST /cds-services/{id}, then
 * renders the cards (indicator colour, summary, Markdown detail through the safe renderer, source, suggestions
 * as buttons, links), the biomarker interpretation and the raw exchange. Every text from a card or from FHIR is
 * put in with textContent; only the safe Markdown renderer's output is assigned as HTML.
 */
import { DRAFT_ORDERS, draftOrderByKey } from './draft-orders.js';
import { buildHookRequest, fillTemplate, type HookName } from './hook-request.js';
import { interpretationFromCards, interpretationRows } from './interpretation-view.js';
import { renderMarkdown, safeHref } from './markdown.js';

interface Service {
  id: string;
  hook: string;
  title?: string;
  prefetch?: Record<string, string>;
}
interface Scenario {
  id: string;
  scenario: string;
  title: string;
}
interface PreviewInfo {
  fhirServer: string;
  scenarios: Scenario[];
  otherFhirServers: string[];
}
interface Action {
  type: string;
  description: string;
  resource?: Record<string, unknown>;
}
interface Suggestion {
  label: string;
  uuid?: string;
  isRecommended?: boolean;
  actions?: Action[];
}
interface CardLink {
  label: string;
  url: string;
  type: string;
}
interface Card {
  uuid?: string;
  summary: string;
  detail?: string;
  indicator: string;
  source?: { label?: string; url?: string };
  suggestions?: Suggestion[];
  selectionBehavior?: string;
  links?: CardLink[];
}

const HOOKS: readonly HookName[] = ['patient-view', 'order-select', 'order-sign'];
let services: Service[] = [];
let info: PreviewInfo | undefined;
/** Only the answer to the latest call is drawn (a slower earlier call must not overwrite it). */
let callCounter = 0;

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el;
}
function input(id: string): HTMLInputElement {
  return $(id) as HTMLInputElement;
}
function select(id: string): HTMLSelectElement {
  return $(id) as HTMLSelectElement;
}
function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

async function start(): Promise<void> {
  const [infoRes, discoveryRes] = await Promise.all([fetch('/preview/api/scenarios'), fetch('/cds-services')]);
  info = (await infoRes.json()) as PreviewInfo;
  services = ((await discoveryRes.json()) as { services: Service[] }).services.filter((s) => (HOOKS as readonly string[]).includes(s.hook));

  const scenario = select('scenario');
  for (const s of info.scenarios) {
    const option = el('option', undefined, s.title);
    option.value = s.id;
    scenario.append(option);
  }
  const service = select('service');
  for (const s of services) {
    const option = el('option', undefined, `${s.hook} — ${s.title ?? s.id}`);
    option.value = s.id;
    service.append(option);
  }
  const order = select('order');
  for (const d of DRAFT_ORDERS) {
    const option = el('option', undefined, `${d.label} (RxNorm ${d.rxnorm.code})`);
    option.value = d.key;
    order.append(option);
  }
  $('embedded-fhir').textContent = info.fhirServer;
  $('other-servers').textContent = info.otherFhirServers.length > 0 ? info.otherFhirServers.join(', ') : 'none (set PREVIEW_FHIR_SERVERS)';

  const refresh = (): void => {
    const custom = input('source-custom').checked;
    $('custom-fields').hidden = !custom;
    $('scenario-fields').hidden = custom;
    $('order-fields').hidden = currentService()?.hook === 'patient-view';
  };
  for (const id of ['source-scenario', 'source-custom', 'service']) $(id).addEventListener('change', refresh);
  refresh();
  // Opening a chart is what fires patient-view in an EHR: picking a scenario calls the service at once.
  scenario.addEventListener('change', () => void callService());
  order.addEventListener('change', () => void callService());
  $('call-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void callService();
  });
  document.body.dataset.ready = 'true';
}

function currentService(): Service | undefined {
  return services.find((s) => s.id === select('service').value);
}

/** Where the call goes and for whom: a scenario patient on the embedded server, or the user's own server. */
function target(): { fhirServer: string; patientId: string; token?: string } {
  if (input('source-custom').checked) {
    const token = input('fhir-token').value.trim();
    return { fhirServer: input('fhir-server').value.trim(), patientId: input('patient-id').value.trim(), ...(token ? { token } : {}) };
  }
  return { fhirServer: info?.fhirServer ?? '', patientId: select('scenario').value };
}

async function callService(): Promise<void> {
  const service = currentService();
  if (!service || !info) return;
  const call = ++callCounter;
  const { fhirServer, patientId, token: fhirToken } = target();
  const cardsBox = $('cards');
  cardsBox.dataset.state = 'loading';
  cardsBox.dataset.patient = patientId;
  setStatus('Calling the service…', 'info');
  $('actions').replaceChildren();
  if (!fhirServer || !patientId) {
    showError(call, 'Enter a FHIR server URL and a patient id.');
    return;
  }

  try {
    const hook = service.hook as HookName;
    const order = draftOrderByKey(select('order').value);
    const prefetch = input('send-prefetch').checked ? await fetchPrefetch(service, fhirServer, patientId, fhirToken) : undefined;
    const body = buildHookRequest({
      hook,
      hookInstance: crypto.randomUUID(),
      fhirServer,
      patientId,
      today: new Date().toISOString().slice(0, 10),
      ...(fhirToken ? { fhirAccessToken: fhirToken } : {}),
      ...(hook !== 'patient-view' && order ? { order } : {}),
      ...(prefetch ? { prefetch } : {}),
    });

    const tokenRes = await fetch('/preview/api/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ serviceId: service.id }),
    });
    if (!tokenRes.ok) throw new Error(`the demo issuer refused a token (${tokenRes.status})`);
    const { token } = (await tokenRes.json()) as { token: string };

    const url = `/cds-services/${encodeURIComponent(service.id)}`;
    showRequest(url, token, body);
    const started = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (call !== callCounter) return;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    $('raw-response').textContent = `HTTP ${res.status} (${Math.round(performance.now() - started)} ms)\n\n${JSON.stringify(json, null, 2)}`;
    if (!res.ok) {
      showError(call, explainError(res.status, json));
      return;
    }
    const cards = ((json as { cards?: Card[] }).cards ?? []) as Card[];
    renderCards(cards);
    renderInterpretation(cards);
    setStatus(`${cards.length} card${cards.length === 1 ? '' : 's'} from ${service.hook} for patient ${patientId}`, 'ok');
    cardsBox.dataset.state = 'done';
  } catch (err) {
    showError(call, err instanceof Error ? err.message : String(err));
  }
}

/** The "send prefetch" toggle: the page fetches the discovery templates itself, as an EHR that prefetches does. */
async function fetchPrefetch(service: Service, fhirServer: string, patientId: string, token?: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  await Promise.all(
    Object.entries(service.prefetch ?? {}).map(async ([key, template]) => {
      const res = await fetch(`${fhirServer.replace(/\/+$/, '')}/${fillTemplate(template, patientId)}`, {
        headers: { Accept: 'application/fhir+json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      });
      // A key the EHR could not fetch is left out: the service then fetches it itself (the fallback path).
      if (res.ok) out[key] = await res.json();
    }),
  );
  return out;
}

function explainError(status: number, body: unknown): string {
  const message = typeof body === 'object' && body !== null ? ((body as { message?: string }).message ?? JSON.stringify(body)) : String(body);
  if (status === 403 && /fhirServer/i.test(message)) {
    return `HTTP 403: ${message} — the demo issuer may only send the service to the embedded FHIR server and to PREVIEW_FHIR_SERVERS.`;
  }
  if (status === 412) return `HTTP 412: the biomarker results could not be read from the FHIR server. ${message}`;
  return `HTTP ${status}: ${message}`;
}

function showRequest(url: string, token: string, body: Record<string, unknown>): void {
  const [, payload] = token.split('.');
  let claims = '';
  try {
    claims = JSON.stringify(JSON.parse(atob((payload ?? '').replace(/-/g, '+').replace(/_/g, '/'))), null, 2);
  } catch {
    claims = '(not decodable)';
  }
  $('raw-request').textContent =
    `POST ${url}\nContent-Type: application/json\nAuthorization: Bearer ${token.slice(0, 24)}… (demo JWT, claims below)\n\n` +
    `${JSON.stringify(body, null, 2)}\n\nJWT claims:\n${claims}`;
  $('raw-response').textContent = '…';
}

function setStatus(text: string, kind: 'info' | 'ok' | 'error'): void {
  const status = $('status');
  status.textContent = text;
  status.className = `status status-${kind}`;
}

function showError(call: number, message: string): void {
  if (call !== callCounter) return;
  setStatus(message, 'error');
  $('cards').replaceChildren();
  $('interpretation').replaceChildren();
  $('cards').dataset.state = 'error';
}

function renderCards(cards: Card[]): void {
  const box = $('cards');
  box.replaceChildren(...cards.map(renderCard));
  if (cards.length === 0) box.append(el('p', 'empty', 'No cards: the service has nothing to say for this call.'));
}

function renderCard(card: Card): HTMLElement {
  const indicator = ['info', 'warning', 'critical'].includes(card.indicator) ? card.indicator : 'info';
  const article = el('article', `card indicator-${indicator}`);
  article.dataset.indicator = indicator;
  const header = el('header');
  header.append(el('span', 'badge', indicator), el('h3', 'summary', card.summary));
  article.append(header);
  if (card.detail) {
    const detail = el('div', 'detail');
    detail.innerHTML = renderMarkdown(card.detail); // safe: escaped first, whitelisted tags only
    article.append(detail);
  }
  if (card.suggestions && card.suggestions.length > 0) {
    const box = el('div', 'suggestions');
    for (const suggestion of card.suggestions) {
      const button = el('button', suggestion.isRecommended ? 'suggestion recommended' : 'suggestion', suggestion.label);
      button.type = 'button';
      button.addEventListener('click', () => acceptSuggestion(card, suggestion, button, box));
      box.append(button);
    }
    article.append(box);
  }
  if (card.links && card.links.length > 0) {
    const list = el('ul', 'links');
    for (const link of card.links) {
      const item = el('li');
      const href = safeHref(link.url);
      if (href) {
        const a = el('a', undefined, link.label + (link.type === 'smart' ? ' (SMART app)' : ''));
        a.href = link.url;
        a.target = '_blank';
        a.rel = 'noopener noreferrer';
        item.append(a);
      } else {
        item.textContent = `${link.label} (link not shown: not an http(s) URL)`;
      }
      list.append(item);
    }
    article.append(list);
  }
  const footer = el('footer', 'source', 'Source: ');
  const sourceHref = card.source?.url ? safeHref(card.source.url) : undefined;
  if (card.source?.url && sourceHref) {
    const a = el('a', undefined, card.source.label ?? card.source.url);
    a.href = card.source.url;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    footer.append(a);
  } else {
    footer.append(card.source?.label ?? 'unnamed');
  }
  article.append(footer);
  return article;
}

/** What an EHR does when a suggestion is accepted: applies its actions (here: shows them) and closes the choice
 *  when the card allows at most one. Nothing is written anywhere. */
function acceptSuggestion(card: Card, suggestion: Suggestion, button: HTMLButtonElement, box: HTMLElement): void {
  button.disabled = true;
  button.classList.add('accepted');
  button.textContent = `✓ ${suggestion.label}`;
  if (card.selectionBehavior === 'at-most-one') {
    for (const other of Array.from(box.querySelectorAll('button'))) other.disabled = true;
  }
  const actions = $('actions');
  const entry = el('div', 'action-taken');
  entry.append(el('strong', undefined, `Accepted: ${suggestion.label}`));
  const list = el('ul');
  for (const action of suggestion.actions ?? []) {
    const item = el('li', undefined, `${action.type} ${String(action.resource?.resourceType ?? '')}: ${action.description}`);
    if (action.resource) {
      const details = el('details');
      details.append(el('summary', undefined, 'resource'), el('pre', undefined, JSON.stringify(action.resource, null, 2)));
      item.append(details);
    }
    list.append(item);
  }
  if ((suggestion.actions ?? []).length === 0) list.append(el('li', undefined, 'no action attached'));
  entry.append(list);
  actions.append(entry);
}

function renderInterpretation(cards: Card[]): void {
  const table = $('interpretation');
  const interpretation = interpretationFromCards(cards);
  if (!interpretation) {
    table.replaceChildren(el('p', 'empty', 'No interpretation in this response.'));
    return;
  }
  const rows = interpretationRows(interpretation).map(([label, value]) => {
    const tr = el('tr');
    tr.append(el('th', undefined, label), el('td', undefined, value));
    return tr;
  });
  const details = el('details');
  details.append(el('summary', undefined, 'contract JSON'), el('pre', undefined, JSON.stringify(interpretation, null, 2)));
  const t = el('table');
  t.append(...rows);
  table.replaceChildren(t, details);
}

void start().catch((err: unknown) => {
  setStatus(`The preview could not start: ${err instanceof Error ? err.message : String(err)}`, 'error');
});
