import { escapeHtml, inline, renderMarkdown, safeHref } from '../../src/embedded/preview/client/markdown.js';

/** Every tag the renderer may write; anything else in the output would be markup that came from the input. */
const ALLOWED_TAGS = new Set(['h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'strong', 'em', 'code', 'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td']);

function tagsOf(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z0-9]+)/g)].map((m) => (m[1] as string).toLowerCase());
}
function attributesOf(html: string): string[] {
  return [...html.matchAll(/<[a-z0-9]+((?:\s+[a-z-]+="[^"]*")*)\s*\/?>/gi)].flatMap((m) => [...(m[1] ?? '').matchAll(/([a-z-]+)="/gi)].map((a) => (a[1] as string).toLowerCase()));
}

describe('safe Markdown renderer: attacks from card or FHIR text stay inert', () => {
  it.each([
    ['script tag', '<script>alert(1)</script>'],
    ['img onerror', '<img src=x onerror="alert(1)">'],
    ['svg onload', '<svg/onload=alert(1)>'],
    ['iframe', '<iframe src="javascript:alert(1)"></iframe>'],
    ['javascript: link', '[click me](javascript:alert(1))'],
    ['JaVaScRiPt: link with entity colon', '[x](javascript&#58;alert(1))'],
    ['data: link', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['vbscript: autolink', '<vbscript:msgbox(1)>'],
    ['quote breaking out of href', '[x](https://example.org/"onmouseover="alert(1))'],
    ['entity-encoded scheme in http link', '[x](https://example.org/&#34;onclick=alert(1))'],
    ['markup inside a table cell', '| a | b |\n| --- | --- |\n| <script>x</script> | <b onclick=1>y</b> |'],
    ['markup inside a heading and list', '#### <img src=x onerror=1>\n- <a href="javascript:1">z</a>'],
    ['markup inside emphasis and code', '**<script>1</script>** `<img onerror=1>`'],
  ])('%s', (_name, markdown) => {
    const html = renderMarkdown(markdown);
    for (const tag of tagsOf(html)) expect(ALLOWED_TAGS).toContain(tag);
    for (const attr of attributesOf(html)) expect(['href', 'target', 'rel']).toContain(attr);
    for (const href of html.matchAll(/href="([^"]*)"/g)) expect(href[1]).toMatch(/^https?:\/\//);
    expect(html).not.toMatch(/<script|<img|<svg|<iframe|<[^>]*\son[a-z]+=/i);
  });

  it('shows the attack as the text it is', () => {
    expect(renderMarkdown('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(renderMarkdown('[click me](javascript:alert(1))')).toBe('<p>click me (javascript:alert(1))</p>');
  });
});

describe('safe Markdown renderer: what the cards use', () => {
  it.each([
    ['heading (#### → h5, one level down inside a card)', '#### Sources', '<h5>Sources</h5>'],
    ['bold', '**HER2:** low', '<p><strong>HER2:</strong> low</p>'],
    ['italics', '_These cards support clinical judgement._', '<p><em>These cards support clinical judgement.</em></p>'],
    ['bullet list', '- one\n- two', '<ul><li>one</li><li>two</li></ul>'],
    ['numbered list with autolink', '1. Wolff AC. <https://doi.org/10.1200/JCO.2018.77.8738>', '<ol><li>Wolff AC. <a href="https://doi.org/10.1200/JCO.2018.77.8738" target="_blank" rel="noopener noreferrer">https://doi.org/10.1200/JCO.2018.77.8738</a></li></ol>'],
    ['link', '[DB-04](https://doi.org/10.1056/NEJMoa2203690)', '<p><a href="https://doi.org/10.1056/NEJMoa2203690" target="_blank" rel="noopener noreferrer">DB-04</a></p>'],
    ['hard line breaks joined in one paragraph', '**ER:** positive  \n**PR:** negative', '<p><strong>ER:</strong> positive<br><strong>PR:</strong> negative</p>'],
    ['backslash escapes written by escapeMarkdown', 'lab\\: equivocal \\*not bold\\*', '<p>lab: equivocal *not bold*</p>'],
    ['entities written by escapeMarkdown stay entities', 'ratio &lt; 2.0 &amp; 4 copies', '<p>ratio &lt; 2.0 &amp; 4 copies</p>'],
    ['table', '| marker | result |\n| --- | --- |\n| HER2 | 1+ |', '<table><thead><tr><th>marker</th><th>result</th></tr></thead><tbody><tr><td>HER2</td><td>1+</td></tr></tbody></table>'],
    ['snake_case is not italics', 'her2_low_value', '<p>her2_low_value</p>'],
    ['link with a query keeps its &', '[q](https://example.org/?a=1&b=2)', '<p><a href="https://example.org/?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">q</a></p>'],
  ])('%s', (_name, markdown, html) => {
    expect(renderMarkdown(markdown)).toBe(html);
  });

  it('escapeHtml escapes markup and quotes but keeps known entities', () => {
    expect(escapeHtml(`<a href='x'>"&"</a> &lt; &#39; &bogus;`)).toBe('&lt;a href=&#39;x&#39;&gt;&quot;&amp;&quot;&lt;/a&gt; &lt; &#39; &amp;bogus;');
  });

  it.each([
    ['https://doi.org/10.1/x', true],
    ['http://localhost:8080/fhir', true],
    ['javascript:alert(1)', false],
    ['JAVASCRIPT:alert(1)', false],
    ['//evil.example/x', false],
    ['https://x.org/a b', false],
    ['https://x.org/&#106;', false],
    ['data:text/html,x', false],
  ])('safeHref(%s) allowed: %s', (url, ok) => {
    expect(safeHref(url) !== undefined).toBe(ok);
  });

  it('inline text without Markdown is only escaped', () => {
    expect(inline('5 % < 10 %')).toBe('5 % &lt; 10 %');
  });
});
