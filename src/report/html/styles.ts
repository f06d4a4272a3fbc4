/** The report's stylesheet (screen and print); no external fonts: a system font stack. */
export const STYLES = `
:root {
  --ink: #1f2328; --muted: #57606a; --faint: #8c959f; --line: #d8dee4; --paper: #ffffff; --wash: #f6f8fa;
  --accent: #2166ac; --hurt: #b2182b; --warn-ink: #7a3e00; --warn-wash: #fff4e5; --warn-line: #f0b35a;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", "DejaVu Sans", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--paper); color: var(--ink); font: 15px/1.55 var(--sans); }
.page { max-width: 1080px; margin: 0 auto; padding: 40px 32px 64px; }
h1, h2, h3 { line-height: 1.25; margin: 0; font-weight: 650; }
h1 { font-size: 30px; letter-spacing: -0.01em; overflow-wrap: anywhere; }
h2 { font-size: 21px; margin-bottom: 6px; }
h2.small { font-size: 13px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--muted); margin-bottom: 6px; }
p { margin: 0 0 10px; }
code, pre { font-family: var(--mono); font-size: 13px; }
.muted { color: var(--muted); font-size: 13px; }
.nowrap { white-space: nowrap; }
.eyebrow { text-transform: uppercase; letter-spacing: 0.08em; font-size: 12px; font-weight: 600; color: var(--accent); margin-bottom: 6px; }
.lede { color: var(--muted); font-size: 16px; margin: 8px 0 20px; max-width: 72ch; }
.analysis-facts { margin-top: 32px; }
.facts { display: flex; flex-wrap: wrap; margin: 0 0 20px; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
.fact { flex: 1 1 150px; padding: 10px 14px; min-width: 0; border-right: 1px solid var(--line); border-bottom: 1px solid var(--line); margin: 0 -1px -1px 0; }
.fact dt { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: 0.05em; }
.fact dd { margin: 2px 0 0; font-size: 16px; font-weight: 600; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
.reliability { display: flex; gap: 20px; align-items: flex-start; padding: 14px 18px; border: 1px solid var(--line); border-left: 5px solid var(--accent); border-radius: 8px; background: var(--wash); margin-bottom: 20px; }
.reliability.warn { background: var(--warn-wash); border-color: var(--warn-line); border-left-color: #d97706; }
.reliability-figure { display: flex; flex-direction: column; min-width: 96px; }
.reliability-figure .label { font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
.reliability-figure .value { font-size: 28px; font-weight: 700; font-variant-numeric: tabular-nums; }
.reliability.warn .reliability-figure .value { color: var(--warn-ink); }
.reliability-text p { margin: 2px 0 4px; }
.reliability .warning { color: var(--warn-ink); }
.reproduce pre { margin: 0 0 6px; padding: 10px 14px; background: #0d1117; color: #e6edf3; border-radius: 8px; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
nav.toc { position: sticky; top: 0; z-index: 5; background: rgba(255,255,255,0.96); border-bottom: 1px solid var(--line); margin: 28px -32px 0; padding: 10px 32px; }
nav.toc ol { display: flex; flex-wrap: wrap; gap: 6px 22px; list-style: none; margin: 0; padding: 0; font-size: 14px; }
nav.toc a { color: var(--accent); text-decoration: none; font-weight: 550; }
nav.toc a:hover, nav.toc a:focus { text-decoration: underline; }
section.report-section { scroll-margin-top: 48px; padding-top: 34px; margin-top: 10px; border-top: 1px solid var(--line); }
section.report-section:first-of-type { border-top: 0; }
.intro { color: var(--muted); max-width: 78ch; margin-bottom: 16px; }
.intro strong { color: var(--ink); font-weight: 600; }
figure { margin: 0; }
.view { overflow-x: auto; }
svg.chart { display: block; font-family: var(--sans); font-size: 12px; color: var(--ink); overflow: visible; }
svg .axis-label { font-size: 12px; fill: #2d333a; }
svg .axis-label.active { font-weight: 700; fill: #000; }
svg .axis-title { font-size: 12px; font-weight: 600; fill: var(--muted); letter-spacing: 0.02em; }
svg .axis text { font-size: 11px; fill: var(--muted); }
svg .axis path, svg .axis line { stroke: #8c959f; }
svg .grid line { stroke: #eaeef2; }
svg .grid path { display: none; }
svg .legend text, svg .legend-title { font-size: 12px; fill: #2d333a; }
svg .legend-title { font-weight: 600; }
svg .legend-note { font-size: 11px; fill: var(--muted); }
svg .legend-axis text { font-size: 11px; fill: var(--muted); }
svg .legend-axis path { display: none; }
svg .legend-axis line { stroke: #8c959f; }
svg .cell-value { font-size: 11.5px; font-variant-numeric: tabular-nums; stroke-width: 3px; paint-order: stroke; stroke-linejoin: round; pointer-events: none; }
svg .cell-sign { font-size: 12px; font-weight: 700; pointer-events: none; }
svg .cell:hover .swatch, svg .cell:focus .swatch { stroke: #000; stroke-width: 2px; }
svg .cell:focus, svg .bar:focus, svg .node:focus, svg .dot:focus, svg .edge:focus, svg .point:focus, svg .actual:focus { outline: none; }
svg .block { cursor: pointer; }
.heatmap-search { margin: 6px 0 12px; font-size: 14px; }
.heatmap-search input { font: inherit; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; min-width: 260px; }
svg .dendrogram path { fill: none; stroke: #8c959f; stroke-width: 1.2px; }
svg .line.predicted { fill: none; stroke: var(--accent); stroke-width: 2.2px; }
svg .point.predicted { fill: var(--accent); stroke: #fff; stroke-width: 1.5px; }
svg .point.actual { fill: #e08214; stroke: #fff; stroke-width: 1px; }
svg .whisker { stroke: #4a5568; stroke-width: 1.5px; }
svg .whisker.predicted { stroke: var(--accent); stroke-opacity: 0.55; }
svg .recommended-band { fill: #fdf1d8; }
svg circle.recommended { fill: none; stroke: #d97706; stroke-width: 2px; }
svg .recommended-label { font-size: 11.5px; font-weight: 650; fill: #a85d00; }
svg .zero { stroke: #4a5568; stroke-width: 1px; stroke-dasharray: 3 3; }
svg .bar rect { rx: 2px; }
svg .bar-note { font-size: 12px; fill: var(--muted); }
svg .bar:hover rect, svg .bar:focus rect { filter: brightness(0.88); }
svg .edge { fill: none; stroke: #4a5568; stroke-opacity: 0.75; }
svg .edge:hover, svg .edge:focus { stroke: #000; stroke-opacity: 1; }
svg .edge-label { font-size: 10.5px; fill: var(--muted); stroke: #fff; stroke-width: 3px; paint-order: stroke; }
svg .node rect, svg .swatch-target { fill: #fff; stroke: var(--accent); stroke-width: 1.5px; }
svg .node.source rect, svg .swatch-source { fill: var(--accent); stroke: var(--accent); }
svg .node-label { font-size: 12.5px; font-weight: 550; fill: var(--ink); }
svg .node.source .node-label { fill: #fff; }
svg .node:hover rect, svg .node:focus rect { stroke: #000; stroke-width: 2px; }
svg .dot { fill: var(--accent); fill-opacity: 0.7; stroke: #fff; stroke-width: 0.8px; }
svg .dot:hover, svg .dot:focus { fill: #000; fill-opacity: 1; }
svg .panel-title { font-size: 13px; font-weight: 650; }
svg .panel-subtitle { font-size: 12px; fill: var(--muted); }
.panels { display: flex; flex-wrap: wrap; gap: 18px 26px; }
.panel { border: 1px solid var(--line); border-radius: 8px; padding: 8px 6px 2px; }
.table-wrap { overflow-x: auto; }
table.data { border-collapse: collapse; font-size: 14px; margin: 14px 0 4px; min-width: 50%; }
table.data caption { caption-side: top; text-align: left; color: var(--muted); font-size: 13px; padding-bottom: 8px; }
table.data th, table.data td { padding: 7px 14px 7px 0; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
table.data thead th { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); font-weight: 600; border-bottom: 2px solid var(--line); }
table.data tbody th { font-weight: 600; overflow-wrap: anywhere; }
table.data tfoot th, table.data tfoot td { border-top: 2px solid var(--line); border-bottom: 0; font-weight: 600; }
table.data .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; padding-left: 14px; }
table.data td.best { font-weight: 700; background: #e8f1fa; }
.decision-headline { font-size: 18px; max-width: 78ch; margin: 4px 0 6px; }
.decision-evidence, .decision-untrained, .decision-loop { color: var(--muted); max-width: 78ch; margin: 4px 0; }
.decision-loop strong { color: var(--ink); font-weight: 600; }
.decision-warning, .decision-flag { max-width: 78ch; margin: 6px 0; padding: 6px 12px; border-left: 4px solid #d97706; background: #fdf6ea; border-radius: 4px; }
.decision-auxiliary { margin-top: 14px; font-size: 16px; }
.untrained-mark, .chip.untrained { font-weight: 700; }
.chip.untrained { background: #fff; border-style: dashed; }
.chip { display: inline-block; margin: 0 6px 4px 0; padding: 1px 9px; border-radius: 11px; background: #e8f1fa; border: 1px solid #c6dbef; font-size: 13px; overflow-wrap: anywhere; }
.view-error { color: var(--hurt); font-weight: 600; }
h3.view-heading { font-size: 16px; margin: 26px 0 4px; }
.view p.note, .view p.recommendation, .view p.auxiliary-top, .view p.auxiliary-set { color: var(--muted); max-width: 78ch; margin: 6px 0 8px; font-size: 14px; }
.view p.recommendation { color: var(--ink); padding: 8px 12px; border-left: 4px solid #d97706; background: #fdf6ea; border-radius: 4px; }
.view p.auxiliary-top, .view p.auxiliary-set { color: var(--ink); }
.badge { display: inline-block; margin-left: 6px; padding: 0 7px; border-radius: 999px; background: #fdf1d8; border: 1px solid #f0b35a; color: #7a3e00; font-size: 11.5px; font-weight: 600; vertical-align: 1px; }
table.data tr.recommended th, table.data tr.recommended td, table.data tr.selection th, table.data tr.selection td { background: #fdf6ea; }
table.data.groups, table.data.clustering, table.data.early-stopping { width: 100%; }
table.data tr.reference th, table.data tr.reference td { color: var(--muted); font-style: italic; }
.tooltip { position: fixed; z-index: 20; pointer-events: none; max-width: 380px; padding: 8px 11px; background: rgba(20, 24, 28, 0.94); color: #fff; border-radius: 6px; font-size: 13px; line-height: 1.45; box-shadow: 0 4px 14px rgba(0,0,0,0.18); opacity: 0; transition: opacity 80ms; overflow-wrap: anywhere; }
.tooltip.visible { opacity: 1; }
.tooltip div:first-child { font-weight: 650; }
footer.page-footer { margin-top: 48px; padding-top: 16px; border-top: 1px solid var(--line); color: var(--muted); font-size: 13px; }
footer.page-footer code { background: var(--wash); padding: 1px 5px; border-radius: 4px; }
noscript p { padding: 10px 14px; background: var(--warn-wash); border: 1px solid var(--warn-line); border-radius: 8px; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
@media (max-width: 640px) { .page { padding: 24px 16px 48px; } nav.toc { margin: 20px -16px 0; padding: 8px 16px; } .reliability { flex-direction: column; gap: 6px; } }
@media print {
  @page { margin: 14mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10.5pt; }
  .page { max-width: none; padding: 0; }
  nav.toc, .tooltip, noscript { display: none !important; }
  section.report-section { break-inside: avoid-page; page-break-inside: avoid; padding-top: 16px; }
  .report-section h2 { break-after: avoid; }
  svg.chart, table.data, .panel { break-inside: avoid; }
  .view, .table-wrap { overflow: visible; }
  .reproduce pre { background: #fff; color: #000; border: 1px solid #999; }
  a { color: inherit; text-decoration: none; }
}
`;
