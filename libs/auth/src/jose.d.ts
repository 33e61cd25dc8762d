// jose ships only ESM with its types behind package `exports`, which the workspace's `node` module resolution does
// not read; this points the type checker at the same declarations (Node 24 loads the module itself via require).
declare module 'jose' {
  export * from 'jose/dist/types/index';
}
