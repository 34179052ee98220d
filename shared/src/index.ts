// The whole shared library. Apps should prefer the subpath entry points
// (`@neural-link/shared/protocol`, `/crypto`, ...) so that the lint rules can
// tell, for example, that the relay never imports the end-to-end crypto.
export * from "./app/index";
export * from "./crypto/index";
export * from "./encoding/index";
export * from "./pairing/index";
export * from "./protocol/index";
