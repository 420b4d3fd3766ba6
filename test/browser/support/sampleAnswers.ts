/** Answers as AstroSage writes them, for the renderer's page tests and screenshots. */

/** A reasoning section before the answer. */
export const richThought = `The user wants the **virial mass** of a cluster from its velocity dispersion.
Start from $M \\approx \\sigma^2 R / G$, then check the units:

- $\\sigma$ in km/s, $R$ in Mpc
- $G = 4.301\\times10^{-9}\\ \\mathrm{Mpc\\,(km/s)^2}\\,M_\\odot^{-1}$`;

/** An answer with prose, inline and display math, an environment, a table, code, a quote and links. */
export const richAnswer = `## Virial mass of a galaxy cluster

For a relaxed cluster with line-of-sight velocity dispersion $\\sigma_{\\rm los}$ and radius $R$,
the virial theorem gives $2K + W = 0$, so

$$
M_{\\rm vir} \\simeq \\frac{3\\,\\sigma_{\\rm los}^2\\, R}{G} \\approx 1.1\\times10^{15}\\,M_\\odot
\\left(\\frac{\\sigma_{\\rm los}}{1000\\ \\mathrm{km\\,s^{-1}}}\\right)^{2}\\left(\\frac{R}{1.5\\ \\mathrm{Mpc}}\\right).
$$

The projected estimator used by most surveys is
\\begin{align}
M_{\\rm PM} &= \\frac{f_{\\rm PM}}{G\\,N}\\sum_{i=1}^{N} v_{z,i}^2\\, r_{\\perp,i}, \\\\
f_{\\rm PM} &= \\frac{32}{\\pi}\\ \\text{(isotropic orbits)}.
\\end{align}

| Cluster | $z$ | $\\sigma_{\\rm los}$ (km/s) | $M_{200}$ ($10^{14}\\,M_\\odot$) | Reference |
|:--------|----:|-------------------:|---------------------:|:----------|
| Coma    | 0.023 | 1008 ± 22 | 12.9 | Kubo et al. 2007 |
| Virgo   | 0.004 | 643 ± 30  | 4.2  | McLaughlin 1999 |
| Perseus | 0.018 | 1324 ± 60 | 6.7  | Simionescu et al. 2011 |

A quick estimate in Python:

\`\`\`python
import astropy.units as u
from astropy.constants import G

def virial_mass(sigma_los, radius):
    """Virial mass from the line-of-sight dispersion (isotropic orbits)."""
    return (3 * sigma_los**2 * radius / G).to(u.Msun)

print(f"{virial_mass(1000 * u.km / u.s, 1.5 * u.Mpc):.2e}")  # ~1.0e15 solMass
\`\`\`

> Caveat: clusters that are still merging violate the virial assumption; compare with
> weak lensing or X-ray hydrostatic masses before trusting $M_{\\rm vir}$ to better than 30%.

Prices such as $5 and $10, and shell variables like \`$HOME\`, stay text. See
[the Coma analysis](https://arxiv.org/abs/astro-ph/0703126) for details.`;
