/** The hub's own key pairs, kept in the data directory. */
export { IDENTITY_FILE, loadOrCreateIdentity, readIdentity } from "./identity-file";
export { IdentityError, type IdentityErrorCode } from "./identity-error";
