// Node's words for a server certificate the client does not trust: one pattern for every client (Kafka and
// Elasticsearch explanations, Kafka readiness, bulk indexing), since waiting never cures it.
const UNTRUSTED = /self[- ]signed certificate|unable to (verify|get local issuer)|certificate has expired|not yet valid|Hostname\/IP does not match|altnames/i;
const UNTRUSTED_CODES = /^(SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID)$/;

export const isUntrustedCertificate = (message: string, code = ''): boolean => UNTRUSTED.test(message) || UNTRUSTED_CODES.test(code);

/** The server ended the handshake over the client's certificate (mutual TLS: none, or one its CA did not sign). */
export const isRefusedClientCertificate = (message: string): boolean =>
  /alert (certificate (required|unknown)|bad certificate|unknown ca|handshake failure)|SSL alert number (40|42|46|48|116)\b/i.test(message);
