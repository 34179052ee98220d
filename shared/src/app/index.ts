export * from "./favorites";
export * from "./messages";
export * from "./page-by-size";
export * from "./methods";
export * from "./pushes";
export * from "./rpc";
export * from "./task";
export * from "./types";
