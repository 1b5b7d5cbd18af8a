// How the app reaches "Shopify" without any code of its own for it: the app's HTTPS requests to
// https://<shop>.myshopify.com go through the simulator as their HTTP proxy (HTTPS_PROXY, or an undici dispatcher
// in-process). Each CONNECT for a *.myshopify.com host on port 443 is answered by the simulator itself: it ends TLS
// with a certificate for that host, signed by its own CA (which the app trusts through NODE_EXTRA_CA_CERTS), and
// serves the Admin API on the decrypted stream. So is https://storage.googleapis.com, where Shopify's bulk operation
// results are downloaded from (signed URLs, no Shopify credentials). Any other destination is refused: nothing
// leaves this machine.
import type { Server as HttpServer, IncomingMessage, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Duplex } from "node:stream";
import { createSecureContext } from "node:tls";
import type { CertificateAuthority } from "./certificates";

export interface AdminTunnelOptions {
  /** The simulator's HTTP server (its control API port doubles as the proxy). */
  server: HttpServer;
  authority: CertificateAuthority;
  /** Serves the requests that arrive through the tunnel (the Host header tells the shop from the storage host). */
  handle: (req: IncomingMessage, res: ServerResponse) => void;
  log?: (line: string) => void;
}

export interface AdminTunnel {
  /** Ends every tunnelled connection. */
  close(): void;
}

/** Where Shopify's bulk operation results are downloaded from (signed URLs; see bulk-operations.ts). */
export const BULK_OPERATION_STORAGE_HOST = "storage.googleapis.com";

/** Shopify's shop domains. */
export function isShopifyAdminHost(host: string): boolean {
  return /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i.test(host);
}

/** The hosts the tunnel terminates: shops' Admin APIs, and the storage bulk operation results are served from. */
export function isTunnelledHost(host: string): boolean {
  return isShopifyAdminHost(host) || host.toLowerCase() === BULK_OPERATION_STORAGE_HOST;
}

export function attachAdminTunnel(options: AdminTunnelOptions): AdminTunnel {
  const sockets = new Set<Duplex>();
  const secureContexts = new Map<string, ReturnType<typeof createSecureContext>>();
  const contextFor = (host: string) => {
    let context = secureContexts.get(host);
    if (!context) {
      const certificate = options.authority.serverCertificate(host);
      context = createSecureContext({ cert: certificate.certPem, key: certificate.keyPem });
      secureContexts.set(host, context);
    }
    return context;
  };
  // Never listens: connections are handed to it. The certificate follows the name the client asks for (SNI).
  const tlsEndpoint = createHttpsServer(
    {
      SNICallback: (servername, callback) =>
        isTunnelledHost(servername) ? callback(null, contextFor(servername.toLowerCase())) : callback(new Error(`No certificate for ${servername}`)),
    },
    options.handle,
  );
  tlsEndpoint.on("tlsClientError", (error) => options.log?.(`tunnel TLS handshake failed: ${error.message}`));

  options.server.on("connect", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = parseAuthority(req.url ?? "");
    socket.on("error", () => socket.destroy());
    if (!target || target.port !== 443 || !isTunnelledHost(target.host)) {
      const reason = `The store simulator is a proxy for Shopify's Admin API only (https://<shop>.myshopify.com, and bulk operation results on https://${BULK_OPERATION_STORAGE_HOST}); ${req.url} is not reachable through it.\n`;
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(reason)}\r\nConnection: close\r\n\r\n${reason}`);
      return;
    }
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    // Bytes the client sent right after the CONNECT line (the start of its TLS handshake) belong to the tunnel.
    if (head.length > 0) socket.unshift(head);
    tlsEndpoint.emit("connection", socket);
  });

  return {
    close() {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
  };
}

function parseAuthority(authority: string): { host: string; port: number } | null {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(authority);
  return match ? { host: match[1]!.toLowerCase(), port: Number(match[2]) } : null;
}
