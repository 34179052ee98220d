export { signAuth, verifyAuth } from "./auth";
export { equalBytes, randomBytes, sha512 } from "./bytes";
export {
  CARD_NAME_MAX,
  type Card,
  cardSchema,
  DEVICE_KINDS,
  type DeviceKind,
  makeCard,
  verifyCard,
  type VerifiedCard,
} from "./card";
export {
  ENVELOPE_VERSION,
  type EnvelopeInner,
  envelopeInnerSchema,
  type FrameFacts,
  openEnvelope,
  sealEnvelope,
  sealEnvelopeWithNonce,
  sharedKey,
} from "./envelope";
export { CardError, EnvelopeError, type EnvelopeRejection } from "./errors";
export {
  deviceIdOf,
  generateIdentity,
  type Identity,
  identityFromSecrets,
  identityFromStored,
  identityToStored,
  signPublicKeyOf,
  type StoredIdentity,
} from "./identity";
export { secretboxBackend } from "./secretbox";
export { Sha256, sha256Hex, toHex } from "./sha256";
export { acceptEnvelope, MemorySeenIds, seenIdExpiry, type SeenIds } from "./seen-ids";
