/**
 * Type-only bridges for the LSP packages. vscode-languageserver 10,
 * vscode-languageclient 11 and vscode-jsonrpc 10 publish their entry points
 * through package.json `exports` only, which the repository's
 * `moduleResolution: "node"` does not read. Node (and esbuild) resolve the
 * real modules at run time through `exports`; these declarations point
 * TypeScript at the same files.
 */
declare module 'vscode-languageserver' {
  export * from 'vscode-languageserver/lib/common/api';
}
declare module 'vscode-languageserver/node' {
  export * from 'vscode-languageserver/lib/node/main';
}
declare module 'vscode-languageserver-protocol' {
  export * from 'vscode-languageserver-protocol/lib/common/api';
}
declare module 'vscode-languageserver-protocol/node' {
  export * from 'vscode-languageserver-protocol/lib/node/main';
}
declare module 'vscode-jsonrpc' {
  export * from 'vscode-jsonrpc/lib/common/api';
}
declare module 'vscode-jsonrpc/node' {
  export * from 'vscode-jsonrpc/lib/node/main';
}
declare module 'vscode-languageclient' {
  export * from 'vscode-languageclient/lib/common/api';
}
declare module 'vscode-languageclient/node' {
  export * from 'vscode-languageclient/lib/node/main';
}
