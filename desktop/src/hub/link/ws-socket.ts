import { type SocketFactory, standardSocketFactory } from "@neural-link/shared/client";
import WebSocket from "ws";

/** The gateway client's socket in Node: the `ws` package, which speaks the standard WebSocket API. */
export const wsSocketFactory: SocketFactory = standardSocketFactory(WebSocket);
