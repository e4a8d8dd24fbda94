/** Observable Plot in a chunk of its own, loaded by the first chart drawn (charts/plot.ts). */
export * from '@observablehq/plot';
