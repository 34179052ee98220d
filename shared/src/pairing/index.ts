export { PairingError } from "./errors";
export { type OpenedPairRequest, openPairRequest, sealPairRequest, sealPairRequestWithNonce } from "./request";
export { computeSas } from "./sas";
export { newPairToken, PAIR_TOKEN_BYTES, rendezvousOf } from "./token";
export { encodePairUri, type PairInvite, parsePairUri } from "./uri";
export { checkPairAccept, checkPairRequest, type PairCandidate, type PairWindow } from "./verify";
