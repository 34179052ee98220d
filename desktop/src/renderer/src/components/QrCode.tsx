import QRCode from "qrcode";
import { useEffect, useState } from "react";

/**
 * The pairing URI as an SVG QR code, drawn in the page (qrcode's browser
 * build), so the invite never leaves this machine as an image request.
 */
export function QrCode({ text, label }: { text: string; label: string }) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 })
      .then((s) => live && setSvg(s))
      .catch(() => live && setSvg(null));
    return () => {
      live = false;
    };
  }, [text]);
  if (!svg) return <div className="qr" role="img" aria-label={`${label} (drawing…)`} />;
  // The SVG comes from qrcode's own renderer over our URI, not from the network.
  return (
    <div className="qr" role="img" aria-label={label} data-testid="qr" dangerouslySetInnerHTML={{ __html: svg }} />
  );
}
