import QRCode from 'qrcode';
import { useMemo } from 'react';

const quietZone = 4;

/** A QR code as inline SVG: drawn here, nothing is fetched. Renders nothing if the text cannot be encoded. */
export function QrCode({ value, size = 192, label }: { value: string; size?: number; label: string }) {
  const matrix = useMemo(() => {
    try {
      const { modules } = QRCode.create(value, { errorCorrectionLevel: 'M' });
      const dark = Array.from({ length: modules.size }, (_, y) =>
        Array.from({ length: modules.size }, (_, x) => Boolean(modules.get(y, x))),
      );
      return { size: modules.size, dark };
    } catch {
      return undefined;
    }
  }, [value]);
  if (!matrix) return null;

  let path = '';
  matrix.dark.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) path += `M${x + quietZone} ${y + quietZone}h1v1h-1z`;
    });
  });
  const extent = matrix.size + quietZone * 2;
  return (
    <svg
      role="img"
      aria-label={label}
      data-testid="totp-qr"
      width={size}
      height={size}
      viewBox={`0 0 ${extent} ${extent}`}
      shapeRendering="crispEdges"
      style={{ background: '#fff', borderRadius: 4, flex: 'none' }}
    >
      <path d={path} fill="#000" />
    </svg>
  );
}
