import { SafeHtml, escapeHtml, html } from './html';

describe('html', () => {
  it('escapes every character that could open markup or leave an attribute', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'y' \`z\``)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39; &#96;z&#96;');
  });

  it('escapes interpolated text, keeps SafeHtml, joins lists and drops nothing-values', () => {
    const key = 'data/"><img src=x onerror=alert(1)>.csv';
    const page = html`<td title="${key}">${key}</td>
      ${[html`<b>${'a&b'}</b>`, 'c<d']}${undefined}${null}${false}${0}`;
    expect(page).toBeInstanceOf(SafeHtml);
    expect(page.text.replace(/>\s+</g, '><')).toBe(
      '<td title="data/&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.csv">data/&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.csv</td><b>a&amp;b</b>c&lt;d0',
    );
    expect(page.text).not.toContain('<img');
  });

  it('does not double-escape nested templates', () => {
    expect(html`<p>${html`<i>${'&'}</i>`}</p>`.text).toBe('<p><i>&amp;</i></p>');
  });
});
