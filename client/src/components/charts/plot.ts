/**
 * Observable Plot, drawn into an element by an attachment (`{@attach plotChart(render)}`). The
 * library loads with the first chart, so the pages without charts never fetch it. `render` gets
 * the element's width and returns Plot's SVG, which becomes an image labelled `label` (the
 * figure's hidden table holds the data), or says `failed` if the library cannot load. Names reach Plot as data,
 * which draws them as text: no HTML string is ever built from them.
 */
import type * as PlotLib from '@observablehq/plot';
import type { Attachment } from 'svelte/attachments';

export type Plot = typeof PlotLib;
export type Render = (plot: Plot, width: number) => Element;

let loading: Promise<Plot> | null = null;

export function loadPlot(): Promise<Plot> {
  loading ??= import('./plot-bundle.ts').catch((err: unknown) => {
    loading = null; // the next chart tries again
    throw err;
  });
  return loading;
}

/** Plot's SVG as one image with a text alternative (the figure around it holds the numbers). */
export function asImage(chart: Element, label: string): Element {
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', label);
  // Plot labels its marks' groups ("line", "dot"): inside an image nobody reads them, and an
  // aria-label on a plain <g> is not allowed (axe: aria-prohibited-attr).
  for (const part of chart.querySelectorAll('g[aria-label]')) part.removeAttribute('aria-label');
  return chart;
}

export function plotChart(render: Render, label: string, failed: string): Attachment<HTMLElement> {
  return (node) => {
    let alive = true;
    let drawnWidth = 0;
    let plot: Plot | null = null;
    const draw = () => {
      const width = Math.floor(node.clientWidth);
      if (!alive || !plot || width === 0 || width === drawnWidth) return;
      drawnWidth = width;
      node.replaceChildren(asImage(render(plot, width), label));
    };
    const resized = new ResizeObserver(draw);
    loadPlot().then(
      (loaded) => {
        plot = loaded;
        draw();
        resized.observe(node);
      },
      () => {
        if (alive) node.textContent = failed;
      },
    );
    // The drawn chart stays until the next one replaces it (no blank frame when the data moves).
    return () => {
      alive = false;
      resized.disconnect();
    };
  };
}
