"""Circles in the unit square: pack(n) returns n circles (x, y, r) that lie inside the square and do not
overlap; the larger the sum of the radii, the better."""

import math


# EVOLVE-BLOCK-START
def pack(n):
    """n equal circles on a ring around the centre, as large as the ring and the square allow."""
    ring = 0.3
    chord = 2 * ring * math.sin(math.pi / n) if n > 1 else 1.0
    r = min(chord / 2, 0.5 - ring) * 0.999
    return [(0.5 + ring * math.cos(2 * math.pi * i / n), 0.5 + ring * math.sin(2 * math.pi * i / n), r)
            for i in range(n)]
# EVOLVE-BLOCK-END
