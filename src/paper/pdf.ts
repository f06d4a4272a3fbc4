/**
 * The figures' PDFs, through Chromium (playwright-core): each SVG opened in a page of exactly its size and printed as
 * vector PDF, its fonts embedded. The same page checks the figure's labels (report/labels.ts). Without Chromium the
 * caller writes the SVG and says that PDFs need it.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { labelProblems, type LabelProblems } from '../report/labels.js';

/** Debian's Chromium, or TRA_CHROMIUM. */
export const chromiumPath = (): string => process.env.TRA_CHROMIUM ?? '/usr/bin/chromium';

/** A headless Chromium, or undefined when none is installed. */
export async function openChromium(): Promise<Browser | undefined> {
  const path = chromiumPath();
  if (!existsSync(path)) return undefined;
  return chromium.launch({
    executablePath: path,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
}

/** The size an SVG declares (width and height attributes, in CSS pixels). */
function svgSize(svg: string): { width: number; height: number } {
  const width = /<svg[^>]*\swidth="([\d.]+)"/.exec(svg);
  const height = /<svg[^>]*\sheight="([\d.]+)"/.exec(svg);
  if (!width || !height) throw new Error('figure SVG without width and height');
  return { width: Number(width[1]), height: Number(height[1]) };
}

export interface PrintedFigure {
  pdf: Buffer;
  labels: LabelProblems;
}

/** One figure: its PDF (one page of the SVG's size) and its label problems as Chromium renders it. */
export async function printFigure(browser: Browser, svg: string): Promise<PrintedFigure> {
  const { width, height } = svgSize(svg);
  const page = await browser.newPage({ viewport: { width: Math.ceil(width), height: Math.ceil(height) } });
  try {
    const body = svg.replace(/^<\?xml[^>]*>\s*/, '');
    await page.setContent(
      `<!DOCTYPE html><html><head><style>html,body{margin:0;padding:0}svg{display:block}</style></head><body>${body}</body></html>`,
    );
    const labels = await labelProblems(page);
    const pdf = await page.pdf({ width: `${width}px`, height: `${height}px`, printBackground: true, pageRanges: '1' });
    return { pdf, labels };
  } finally {
    await page.close();
  }
}
