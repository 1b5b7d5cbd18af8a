import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateProportionally } from "./allocate-proportionally";

describe("allocateProportionally", () => {
  it("splits exactly, giving rounding units to the largest remainders", () => {
    expect(allocateProportionally(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    expect(allocateProportionally(1000n, [8999n, 1000n])).toEqual([900n, 100n]);
    expect(allocateProportionally(0n, [5n, 5n])).toEqual([0n, 0n]);
  });

  it("has nothing to split by without weight", () => {
    expect(allocateProportionally(100n, [0n, 0n])).toEqual([0n, 0n]);
    expect(allocateProportionally(100n, [])).toEqual([]);
  });

  it("always sums to the total and stays within one unit of the exact share", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 20 }),
        (total, weights) => {
          const parts = allocateProportionally(total, weights);
          const weightSum = weights.reduce((a, b) => a + b, 0n);
          if (weightSum === 0n) return;
          expect(parts.reduce((a, b) => a + b, 0n)).toBe(total);
          parts.forEach((part, i) => {
            const exactTimesSum = total * weights[i]!;
            expect(part * weightSum >= exactTimesSum - weightSum && part * weightSum <= exactTimesSum + weightSum).toBe(true);
          });
        },
      ),
    );
  });
});
