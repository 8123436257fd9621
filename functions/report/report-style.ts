/**
 * The report page's one stylesheet. Its hash goes into the page's Content-Security-Policy, so
 * it is a constant: no value from a manifest is ever written into it.
 */
export const REPORT_CSS = [
  'body{margin:0;background:#f4f5f7;color:#1f2328;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}',
  'main{max-width:960px;margin:0 auto;padding:16px}',
  '.banner{border-radius:8px;padding:16px 20px;color:#fff;background:#57606a}',
  '.banner h1{margin:0;font-size:22px;overflow-wrap:anywhere}',
  '.banner p{margin:4px 0}',
  '.banner .status{font-weight:700;text-transform:uppercase;letter-spacing:.04em;font-size:13px}',
  '.s-succeeded{background:#1a7f37}.s-partial{background:#9a6700}.s-failed{background:#b42318}',
  '.s-rejected{background:#8250df}.s-skipped{background:#57606a}.s-checked{background:#0969da}',
  'section{background:#fff;border:1px solid #d0d7de;border-radius:8px;margin:12px 0;padding:12px 20px}',
  'h2{font-size:17px;margin:4px 0 10px}',
  '.next{border-left:6px solid #0969da}.error{border-left:6px solid #b42318}',
  '.warning{border-left:6px solid #9a6700}',
  'dl{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:6px 16px;margin:0}',
  'dl div{min-width:0}dt{color:#57606a;font-size:13px}dd{margin:0;overflow-wrap:anywhere}',
  '.counts dd{font-size:20px;font-weight:600}',
  '.chart{max-width:100%;height:auto;display:block;margin:0 0 12px}',
  'table{border-collapse:collapse;width:100%;margin:8px 0;font-size:14px}',
  'th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #d8dee4;vertical-align:top;overflow-wrap:anywhere}',
  'th{background:#f6f8fa;white-space:nowrap}',
  'code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eff1f3;padding:0 3px;border-radius:3px}',
  'td code{white-space:nowrap}',
  '.o-accepted{color:#1a7f37}.o-failed{color:#b42318}.o-unknown{color:#9a6700;font-weight:700}',
  'a{color:#0969da}footer{color:#57606a;font-size:12px;margin:12px 4px}',
  '@media print{body{background:#fff}section{break-inside:avoid}}',
].join('');
