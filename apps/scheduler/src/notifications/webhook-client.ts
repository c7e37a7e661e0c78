import { LookupAddress, LookupOptions, promises as dns } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { LookupFunction } from 'node:net';
import { Injectable } from '@nestjs/common';
import { AddressPolicy, checkWebhookUrl, mayConnect } from './domain/address-policy';
import { AddressNotAllowed, ReceiverAnswered } from './domain/delivery-outcome';

/** DNS for deliveries; a provider of its own so a test can point a name anywhere, as Clock does time. */
@Injectable()
export class WebhookResolver {
  lookup(hostname: string): Promise<LookupAddress[]> {
    return dns.lookup(hostname, { all: true, verbatim: true });
  }
}

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/**
 * One POST. The URL is checked again (a literal host is connected to without DNS), and a
 * name is resolved once, inside the connection's own lookup: the addresses checked are the
 * ones connected to, so a rebinding between check and connect has nothing to slip into.
 * Redirects are not followed: a 3xx is an answer like any other non-2xx.
 */
export function postWebhook(
  post: WebhookPost,
  resolver: WebhookResolver,
  policy: AddressPolicy,
): Promise<void> {
  const verdict = checkWebhookUrl(post.url, policy);
  if (!verdict.ok) return Promise.reject(new AddressNotAllowed(verdict.reason));
  const send = verdict.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      verdict.url,
      {
        method: 'POST',
        headers: { ...post.headers, 'content-length': Buffer.byteLength(post.body) },
        lookup: guardedLookup(resolver, policy),
        signal: AbortSignal.timeout(post.timeoutMs),
        agent: false,
      },
      (res) => {
        // The body is never read: nothing of it may reach the delivery log.
        res.destroy();
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else reject(new ReceiverAnswered(status));
      },
    );
    req.on('error', reject);
    req.end(post.body);
  });
}

/** A net lookup that answers only with addresses the policy allows, refusing a name with any other. */
function guardedLookup(resolver: WebhookResolver, policy: AddressPolicy): LookupFunction {
  return (hostname: string, options: LookupOptions, callback) => {
    resolver
      .lookup(hostname)
      .then((found) => {
        const family = familyOf(options.family);
        const usable = found.filter((a) => !family || a.family === family);
        if (!usable.length) throw Object.assign(new Error('no address'), { code: 'ENOTFOUND' });
        if (!found.every((a) => mayConnect(a.address, policy)))
          throw new AddressNotAllowed(`${hostname} resolves to an address outside the policy`);
        if (options.all) callback(null, usable);
        else callback(null, usable[0].address, usable[0].family);
      })
      .catch((err: NodeJS.ErrnoException) => callback(err, ''));
  };
}

function familyOf(family: LookupOptions['family']): number {
  if (family === 'IPv4') return 4;
  if (family === 'IPv6') return 6;
  return family ?? 0;
}
