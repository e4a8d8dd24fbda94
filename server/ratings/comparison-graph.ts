/**
 * Structure of the comparison data that decides whether Bradley-Terry ratings are identifiable:
 * connected components (models never compared, even indirectly, have no common scale) and strongly
 * connected components of the "scored against" digraph (the MLE is finite only if, inside each
 * component, every model has scored against every other along some path: Zermelo/Ford's condition).
 */

export interface ComparisonStructure {
  /** Connected component of each model in the undirected comparison graph. */
  readonly componentOf: Int32Array;
  readonly componentCount: number;
  /** 1 for models in the largest strongly connected part of their component, where ratings are finite. */
  readonly inCore: Uint8Array;
  /** Models outside their component's core: their rating gap to the core is unbounded in the MLE. */
  readonly separated: readonly number[];
}

/**
 * `score[i*m+j]` is what i scored against j (wins plus half the ties); an edge i→j exists when it
 * is positive. Cost O(m²), independent of the number of battles.
 */
export function analyseComparisons(score: Float64Array, m: number): ComparisonStructure {
  const { componentOf, componentCount } = connectedComponents(score, m);
  const sccOf = stronglyConnectedComponents(score, m);

  // The core of each component is its largest SCC (first found on a size tie).
  const sccSize = new Int32Array(m);
  for (let i = 0; i < m; i++) sccSize[sccOf[i]!]!++;
  const coreScc = new Int32Array(componentCount).fill(-1);
  for (let i = 0; i < m; i++) {
    const c = componentOf[i]!;
    const current = coreScc[c]!;
    if (current < 0 || sccSize[sccOf[i]!]! > sccSize[current]!) coreScc[c] = sccOf[i]!;
  }
  const inCore = new Uint8Array(m);
  const separated: number[] = [];
  for (let i = 0; i < m; i++) {
    if (sccOf[i] === coreScc[componentOf[i]!]) inCore[i] = 1;
    else separated.push(i);
  }
  return { componentOf, componentCount, inCore, separated };
}

function connectedComponents(score: Float64Array, m: number): { componentOf: Int32Array; componentCount: number } {
  const componentOf = new Int32Array(m).fill(-1);
  const stack: number[] = [];
  let next = 0;
  for (let start = 0; start < m; start++) {
    if (componentOf[start]! >= 0) continue;
    componentOf[start] = next;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      for (let j = 0; j < m; j++) {
        if (componentOf[j]! < 0 && score[i * m + j]! + score[j * m + i]! > 0) {
          componentOf[j] = next;
          stack.push(j);
        }
      }
    }
    next++;
  }
  return { componentOf, componentCount: next };
}

/** Kosaraju's algorithm with explicit stacks (no recursion depth limit), on the adjacency matrix. */
function stronglyConnectedComponents(score: Float64Array, m: number): Int32Array {
  const finishOrder: number[] = [];
  const visited = new Uint8Array(m);
  const nextNeighbour = new Int32Array(m);
  const stack: number[] = [];
  for (let start = 0; start < m; start++) {
    if (visited[start]) continue;
    visited[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack[stack.length - 1]!;
      let j = nextNeighbour[i]!;
      while (j < m && (visited[j] || !(score[i * m + j]! > 0))) j++;
      nextNeighbour[i] = j + 1;
      if (j < m) {
        visited[j] = 1;
        stack.push(j);
      } else {
        stack.pop();
        finishOrder.push(i);
      }
    }
  }

  // Second pass on the reversed graph, in decreasing finish time.
  const sccOf = new Int32Array(m).fill(-1);
  let next = 0;
  for (let f = finishOrder.length - 1; f >= 0; f--) {
    const start = finishOrder[f]!;
    if (sccOf[start]! >= 0) continue;
    sccOf[start] = next;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop()!;
      for (let j = 0; j < m; j++) {
        if (sccOf[j]! < 0 && score[j * m + i]! > 0) {
          sccOf[j] = next;
          stack.push(j);
        }
      }
    }
    next++;
  }
  return sccOf;
}
