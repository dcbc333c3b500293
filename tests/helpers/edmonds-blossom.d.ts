// edmonds-blossom ships no types; the tests and the benchmark use it as the exact oracle.
declare module 'edmonds-blossom' {
  /** Maximum-weight matching of edges [i, j, weight]; returns each vertex's mate, -1 when unmatched. */
  export default function blossom(edges: Array<[number, number, number]>, maxCardinality?: boolean): number[];
}
