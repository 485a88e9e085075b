/**
 * Checks a dashboard page in a real browser the way a person would notice problems: a page
 * wider than the screen, and text too faint to read (WCAG 2.x AA contrast).
 * The functions passed to `page.evaluate` run in the browser; the tests' tsconfig has no DOM
 * lib, so they describe the little they touch with the interfaces below.
 */
import type { Page } from 'playwright-core';

interface Style {
  color: string;
  fill: string;
  backgroundColor: string;
  fontSize: string;
  fontWeight: string;
  visibility: string;
  display: string;
}
interface Node {
  nodeType: number;
  textContent: string | null;
}
interface Element extends Node {
  tagName: string;
  parentElement: Element | null;
  childNodes: ArrayLike<Node>;
  closest(selector: string): Element | null;
  getBoundingClientRect(): { width: number; height: number };
}
interface Window {
  innerWidth: number;
  getComputedStyle(element: Element): Style;
  document: {
    documentElement: Element & { scrollWidth: number };
    querySelectorAll(selector: string): ArrayLike<Element>;
  };
}

/** How far the page is wider than the window, in CSS pixels (0: no horizontal scrolling). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const w = globalThis as unknown as Window;
    return Math.max(0, w.document.documentElement.scrollWidth - w.innerWidth);
  });
}

/** The computed background colour of <html>: which theme the page is in. */
export function pageBackground(page: Page): Promise<string> {
  return page.evaluate(() => {
    const w = globalThis as unknown as Window;
    return w.getComputedStyle(w.document.documentElement).backgroundColor;
  });
}

export interface ContrastProblem {
  text: string;
  color: string;
  background: string;
  ratio: number;
  needed: number;
}

/**
 * Every visible text run (HTML and SVG) whose colour against its effective background is
 * below AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). Backgrounds with alpha
 * are composited over their ancestors'; text inside `[aria-hidden]`, hidden or disabled
 * controls is skipped (WCAG exempts inactive components).
 */
export function contrastProblems(page: Page): Promise<ContrastProblem[]> {
  return page.evaluate(() => {
    const w = globalThis as unknown as Window;
    type Rgba = [number, number, number, number];

    function parse(color: string): Rgba | null {
      const rgb = /^rgba?\(([\d.]+),?\s*([\d.]+),?\s*([\d.]+)(?:[,/]\s*([\d.]+))?\)$/.exec(color);
      if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3]), rgb[4] === undefined ? 1 : Number(rgb[4])];
      // color-mix() in srgb computes to color(srgb r g b / a) with channels 0–1.
      const srgb = /^color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.]+))?\)$/.exec(color);
      if (srgb)
        return [
          Number(srgb[1]) * 255,
          Number(srgb[2]) * 255,
          Number(srgb[3]) * 255,
          srgb[4] === undefined ? 1 : Number(srgb[4]),
        ];
      return null;
    }
    function over(top: Rgba, bottom: Rgba): Rgba {
      const a = top[3] + bottom[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      const mix = (i: 0 | 1 | 2) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a;
      return [mix(0), mix(1), mix(2), a];
    }
    function background(element: Element): Rgba {
      const layers: Rgba[] = [];
      for (let e: Element | null = element; e; e = e.parentElement) {
        const color = parse(w.getComputedStyle(e).backgroundColor);
        if (color && color[3] > 0) {
          layers.push(color);
          if (color[3] >= 1) break;
        }
      }
      return layers.reduceRight<Rgba>((below, layer) => over(layer, below), [255, 255, 255, 1]);
    }
    function luminance([r, g, b]: Rgba): number {
      const channel = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    }

    const problems: ContrastProblem[] = [];
    for (const element of Array.from(w.document.querySelectorAll('body *'))) {
      const ownText = Array.from(element.childNodes)
        .filter((n) => n.nodeType === 3)
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
      if (!ownText || ['SCRIPT', 'STYLE', 'OPTION', 'TITLE'].includes(element.tagName.toUpperCase())) continue;
      if (element.closest('[aria-hidden="true"], .visually-hidden, :disabled')) continue;
      const style = w.getComputedStyle(element);
      const box = element.getBoundingClientRect();
      if (style.visibility !== 'visible' || style.display === 'none' || box.width === 0 || box.height === 0) continue;
      const isSvgText = element.tagName.toLowerCase() === 'text' || element.tagName.toLowerCase() === 'tspan';
      const foreground = parse(isSvgText ? style.fill : style.color);
      if (!foreground) continue;
      const bg = background(element);
      const fg = over(foreground, bg);
      const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a) as [number, number];
      const ratio = (hi + 0.05) / (lo + 0.05);
      const size = Number.parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      const needed = large ? 3 : 4.5;
      if (ratio < needed) {
        problems.push({
          text: ownText.slice(0, 40),
          color: isSvgText ? style.fill : style.color,
          background: `rgb(${bg.slice(0, 3).map(Math.round).join(', ')})`,
          ratio: Math.round(ratio * 100) / 100,
          needed,
        });
      }
    }
    return problems;
  });
}
