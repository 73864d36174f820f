import { Router } from 'express';
import type { Platform } from '../ops/platform.ts';
import { notFound } from '../http/errors.ts';
import { requireVerifiedViewer, requireViewer } from '../accounts/require-viewer.ts';
import type { Viewer } from '../accounts/viewer.ts';
import { RECEIPT_NUMBER } from './document-numbers.ts';
import { receiptFacts } from './receipt-facts.ts';
import { receiptLines } from './receipt-lines.ts';
import { renderReceiptPdf } from './receipt-pdf.ts';
import { mayOpenReceipt, viewerIsAdmin } from './receipt-access.ts';

const NOT_FOUND = 'We could not find that receipt in your account.';

/** "W-000001" → the web receipt, "W-000001.pdf" → its PDF; anything else → null (a 404). */
export function receiptRequest(segment: string): { number: string; pdf: boolean } | null {
  const pdf = segment.endsWith('.pdf');
  const number = pdf ? segment.slice(0, -'.pdf'.length) : segment;
  return RECEIPT_NUMBER.test(number) ? { number, pdf } : null;
}

/** Where Stripe shows an invoice it made (checkout's gateway, handed in by app.ts when payments are on). */
export type InvoiceLinksOf = (invoiceId: string) => Promise<{ hostedInvoiceUrl: string | null; invoicePdf: string | null }>;

/** /account/receipts/:number and /account/receipts/:number.pdf: the buyer's and the admin's. */
export function receiptRoutes(deps: Platform, invoiceLinksOf?: InvoiceLinksOf): Router {
  const { db, config, logger } = deps;

  // Stripe's own invoice (STRIPE_INVOICES) is linked beside ours; Stripe not answering leaves it out.
  const invoiceLinks = async (invoiceId: string | undefined) => {
    if (!invoiceId || !invoiceLinksOf) return null;
    return invoiceLinksOf(invoiceId).catch((error: unknown) => {
      logger.warn({ err: error, invoiceId }, 'Stripe did not give the invoice links');
      return null;
    });
  };
  const router = Router();

  // Signed out → sign in and come back; an unverified session (the checkout success page's) is asked
  // to confirm its address first, as for the account's other purchases.
  router.get('/account/receipts/:file', requireViewer, requireVerifiedViewer, async (req, res) => {
    const viewer: Viewer = res.locals.viewer;
    const request = receiptRequest(req.params.file as string);
    const found = request && (await receiptFacts(db, config.seller, request.number));
    if (!request || !found) throw notFound(NOT_FOUND);
    const admin = found.ownerId !== viewer.userId && (await viewerIsAdmin(db, viewer.userId, config.adminEmails));
    if (!mayOpenReceipt({ userId: viewer.userId, admin }, found.ownerId)) throw notFound(NOT_FOUND);
    if (request.pdf) {
      res.type('application/pdf').set('Content-Disposition', `inline; filename="receipt-${request.number}.pdf"`);
      res.send(await renderReceiptPdf(found.facts));
      return;
    }
    res.render('tax-receipt', {
      title: `Receipt ${request.number}`,
      receipt: receiptLines(found.facts),
      number: request.number,
      ownReceipt: !admin,
      invoice: await invoiceLinks(found.facts.invoiceId),
    });
  });

  return router;
}
