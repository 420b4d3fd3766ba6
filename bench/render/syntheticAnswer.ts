/**
 * A long AstroSage answer, the same on every run: sections of prose with
 * inline math in both notations, display math in every form the renderer reads
 * (`$$…$$`, `\[…\]`, `equation`, `align`, `\(…\)` inline), fenced code in
 * Python, Fortran and IDL, GFM tables, bullet and numbered lists and quotes,
 * up to the length asked for.
 *
 * Block sizes follow real answers (a table of a few rows, code of 10–25 lines),
 * because the streaming renderer re-renders the open block at every frame: one
 * giant block would measure that block, not the length of the message.
 */

/** A small seeded generator (mulberry32): the answer must not change between runs. */
export class SeededRandom {
    private state: number;

    public constructor(seed: number) {
        this.state = seed >>> 0;
    }

    /** A float in [0, 1). */
    public next(): number {
        this.state = (this.state + 0x6d2b79f5) >>> 0;
        let t = this.state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }

    /** An integer in [low, high]. */
    public int(low: number, high: number): number {
        return low + Math.floor(this.next() * (high - low + 1));
    }

    public pick<T>(items: readonly T[]): T {
        return items[Math.floor(this.next() * items.length)];
    }

    /** A number with `digits` decimals in [low, high), as text. */
    public decimal(low: number, high: number, digits: number): string {
        return (low + this.next() * (high - low)).toFixed(digits);
    }
}

const topics = [
    "the virial mass of a galaxy cluster", "the Eddington luminosity of an accreting black hole",
    "the Jeans mass of a molecular cloud core", "the photometric redshift of a faint galaxy",
    "the Strömgren radius of an H II region", "the Chandrasekhar limit for white dwarfs",
    "the Tully–Fisher relation in the near infrared", "the initial mass function of a young cluster",
    "the Hubble tension between early and late probes", "the mass–radius relation of hot Jupiters"
];

const sentences = [
    "The estimate assumes a relaxed system, so mergers in progress bias it high by a factor that simulations put near $1.3$.",
    "For a Maxwellian velocity distribution the one-dimensional dispersion is \\(\\sigma_{1D} = \\sigma_{3D}/\\sqrt{3}\\), which is what a spectrograph measures.",
    "Using $G = 4.301\\times10^{-3}\\ \\mathrm{pc}\\,M_\\odot^{-1}\\,(\\mathrm{km\\,s^{-1}})^2$ keeps the arithmetic in convenient units.",
    "The dominant systematic is the distance: a $10\\%$ error in $D$ becomes a $20\\%$ error in luminosity, since $L = 4\\pi D^2 F$.",
    "In the optically thin limit the emission scales as $\\epsilon_\\nu \\propto n_e^2 T^{-1/2} e^{-h\\nu/kT}$, so the densest gas dominates.",
    "The timescale \\(t_{\\rm ff} = \\sqrt{3\\pi/(32 G\\rho)}\\) is about $0.4$ Myr for $n_{\\rm H_2} = 10^{4}\\ \\mathrm{cm^{-3}}$.",
    "Observers usually quote the result in solar units, with $M_\\odot = 1.989\\times10^{30}$ kg and $L_\\odot = 3.828\\times10^{26}$ W.",
    "Survey catalogues such as SDSS DR17 and Gaia DR3 give the inputs, but their selection functions must be modelled explicitly.",
    "A Bayesian fit with a broad prior on $\\log_{10} M$ avoids the bias that a uniform prior in $M$ introduces at low signal to noise.",
    "The error budget is dominated by the calibration, which the authors quote as $\\pm 0.02$ mag in each band.",
    "Prices such as $5 and $10 stay text, as does the shell variable `$HOME`, so ordinary prose is never mistaken for math.",
    "Comparing with the scaling relation $M \\propto \\sigma^{3}$ shows whether the sample is consistent with self-similar collapse.",
    "At redshift $z$ the angular diameter distance is $D_A = D_M/(1+z)$, and for $z \\gtrsim 1.6$ it decreases with $z$.",
    "The correction is small for the nearby sample but reaches \\(\\Delta m \\approx 0.3\\) mag at the survey limit.",
    "Dust extinction follows $A_V = R_V\\,E(B-V)$ with $R_V \\approx 3.1$ in the diffuse Milky Way interstellar medium."
];

const emphasis = ["**Note:**", "*In practice*,", "As a check,", "Importantly,", "For comparison,", ""];

function paragraph(random: SeededRandom): string {
    const count = random.int(3, 6);
    const parts: string[] = [];
    for (let i = 0; i < count; i++)
        parts.push(random.pick(sentences));
    const lead = random.pick(emphasis);
    // Lines wrapped as models often write them: a soft break inside the paragraph.
    const body = parts.join(" ");
    const text = lead === "" ? body
        : lead.endsWith(",") ? `${lead} ${body[0].toLowerCase()}${body.slice(1)}` : `${lead} ${body}`;
    const cut = text.indexOf(". ", Math.floor(text.length / 2));
    return cut < 0 ? text : `${text.slice(0, cut + 1)}\n${text.slice(cut + 2)}`;
}

function displayMath(random: SeededRandom): string {
    const a = random.decimal(1, 9, 2);
    const n = random.int(2, 5);
    switch (random.int(0, 4)) {
        case 0:
            return `$$\nM_{\\rm vir} \\simeq \\frac{${n}\\,\\sigma^2 R}{G} \\approx ${a}\\times10^{14}\\,M_\\odot\n\\left(\\frac{\\sigma}{1000\\ \\mathrm{km\\,s^{-1}}}\\right)^{2}\\left(\\frac{R}{1\\ \\mathrm{Mpc}}\\right)\n$$`;
        case 1:
            return `\\[\nL_{\\rm Edd} = \\frac{4\\pi G M m_p c}{\\sigma_T} \\approx ${a}\\times10^{38}\\left(\\frac{M}{M_\\odot}\\right)\\ \\mathrm{erg\\,s^{-1}}\n\\]`;
        case 2:
            return `\\begin{equation}\nM_J = \\left(\\frac{5 k T}{G \\mu m_H}\\right)^{3/2}\\left(\\frac{3}{4\\pi\\rho}\\right)^{1/2} \\approx ${a}\\,M_\\odot\\left(\\frac{T}{10\\ \\mathrm{K}}\\right)^{3/2}\n\\end{equation}`;
        case 3:
            return `\\begin{align}\n\\frac{d^2 r}{dt^2} &= -\\frac{G M(r)}{r^2} + \\frac{\\Lambda c^2}{3} r, \\\\\nM(r) &= 4\\pi \\int_0^r \\rho(r')\\, r'^2\\, dr', \\\\\n\\rho(r) &= \\frac{\\rho_0}{(r/r_s)(1 + r/r_s)^{${n}}}\n\\end{align}`;
        default:
            return `$$D_L(z) = \\frac{c\\,(1+z)}{H_0}\\int_0^z \\frac{dz'}{\\sqrt{\\Omega_m (1+z')^3 + \\Omega_\\Lambda}} \\approx ${a}\\ \\mathrm{Gpc}$$`;
    }
}

function pythonCode(random: SeededRandom): string {
    const body = [
        "import numpy as np",
        "import astropy.units as u",
        "from astropy.constants import G, c, m_p, sigma_T",
        "from astropy.cosmology import Planck18 as cosmo",
        "",
        "",
        "def virial_mass(sigma, radius, factor=3.0):",
        "    \"\"\"Virial mass from a velocity dispersion (isotropic orbits).\"\"\"",
        "    return (factor * sigma**2 * radius / G).to(u.Msun)",
        "",
        "",
        "def eddington_luminosity(mass):",
        "    return (4 * np.pi * G * mass * m_p * c / sigma_T).to(u.erg / u.s)",
        "",
        "",
        `redshifts = np.linspace(0.01, ${random.decimal(1, 3, 1)}, ${random.int(50, 500)})`,
        "distances = cosmo.luminosity_distance(redshifts)",
        `sigma = ${random.int(300, 1400)} * u.km / u.s`,
        `radius = ${random.decimal(0.5, 2.5, 2)} * u.Mpc`,
        "mass = virial_mass(sigma, radius)",
        "print(f\"M_vir = {mass:.3e}, L_Edd = {eddington_luminosity(1e8 * u.Msun):.3e}\")",
        "for z, d in zip(redshifts[:5], distances[:5]):",
        "    print(f\"z = {z:.3f}: D_L = {d.to(u.Mpc):.1f}\")"
    ];
    return "```python\n" + body.slice(0, random.int(12, body.length)).join("\n") + "\n```";
}

function fortranCode(random: SeededRandom): string {
    const steps = random.int(100, 5000);
    return "```fortran\n" + [
        "program lane_emden",
        "  implicit none",
        "  integer, parameter :: dp = kind(1.0d0)",
        `  integer, parameter :: nsteps = ${steps}`,
        `  real(dp), parameter :: n = ${random.decimal(1, 4.5, 1)}_dp, h = 1.0e-3_dp`,
        "  real(dp) :: xi, theta, dtheta, k1, k2",
        "  integer :: i",
        "",
        "  xi = 1.0e-6_dp",
        "  theta = 1.0_dp - xi**2 / 6.0_dp",
        "  dtheta = -xi / 3.0_dp",
        "  do i = 1, nsteps",
        "     k1 = -max(theta, 0.0_dp)**n - 2.0_dp * dtheta / xi",
        "     k2 = -max(theta + h * dtheta, 0.0_dp)**n - 2.0_dp * (dtheta + h * k1) / (xi + h)",
        "     theta = theta + h * dtheta + 0.5_dp * h**2 * k1",
        "     dtheta = dtheta + 0.5_dp * h * (k1 + k2)",
        "     xi = xi + h",
        "     if (theta <= 0.0_dp) exit",
        "  end do",
        "  print '(a, f8.4)', 'first zero at xi = ', xi",
        "end program lane_emden"
    ].join("\n") + "\n```";
}

function idlCode(random: SeededRandom): string {
    return "```idl\n" + [
        "; Radial profile of an image around its brightest pixel",
        "pro radial_profile, image, profile, radii",
        "  compile_opt idl2",
        "  sz = size(image, /dimensions)",
        "  m = max(image, imax)",
        "  xc = imax mod sz[0] & yc = imax / sz[0]",
        "  dist_ellipse, r, sz, xc, yc, 1.0, 0.0",
        `  nbins = ${random.int(10, 60)}`,
        "  radii = findgen(nbins) + 0.5",
        "  profile = fltarr(nbins)",
        "  for i = 0, nbins - 1 do begin",
        "    w = where(r ge i and r lt i + 1, count)",
        "    if count gt 0 then profile[i] = median(image[w])",
        "  endfor",
        "end"
    ].join("\n") + "\n```";
}

function table(random: SeededRandom): string {
    const names = ["Coma", "Virgo", "Perseus", "Abell 1689", "Bullet", "Fornax", "Hydra A", "Centaurus", "Norma", "Ophiuchus"];
    const rows = random.int(4, 8);
    const lines = [
        "| Object | $z$ | $\\sigma_{\\rm los}$ (km/s) | $M_{200}$ ($10^{14}\\,M_\\odot$) | Reference |",
        "|:-------|----:|----------:|----------:|:----------|"
    ];
    for (let i = 0; i < rows; i++) {
        lines.push(`| ${random.pick(names)} | ${random.decimal(0.003, 0.3, 3)} | ${random.int(300, 1400)} ± ${random.int(10, 80)} `
            + `| ${random.decimal(0.5, 20, 1)} | ${random.pick(["Kubo et al. 2007", "McLaughlin 1999", "Simionescu et al. 2011", "Planck 2016"])} |`);
    }
    return lines.join("\n");
}

function list(random: SeededRandom): string {
    const items = [
        "Measure the dispersion $\\sigma$ from at least 30 spectroscopic members.",
        "Remove interlopers with a $3\\sigma$ clip in velocity, iterated until stable.",
        "Correct for the finite aperture: \\(R_{\\rm ap} < R_{200}\\) underestimates the mass.",
        "Compare with weak lensing, which does not assume equilibrium.",
        "Propagate the uncertainty on $H_0$; masses scale as $h^{-1}$.",
        "Check the result against the scaling relation of **Evrard et al. (2008)**.",
        "Quote the mass inside a fixed overdensity, e.g. $M_{500c}$, not a bare $M$."
    ];
    const ordered = random.next() < 0.5;
    const count = random.int(3, 6);
    const lines: string[] = [];
    for (let i = 0; i < count; i++)
        lines.push(`${ordered ? `${i + 1}.` : "-"} ${random.pick(items)}`);
    return lines.join("\n");
}

function quote(random: SeededRandom): string {
    return `> **Caveat:** ${random.pick(sentences)}\n> ${random.pick(sentences)}`;
}

/** One section's blocks: a heading, then a run of blocks, each kind weighted as in real answers. */
function section(random: SeededRandom, index: number): string[] {
    const blocks = [`## ${index}. On ${random.pick(topics)}`, paragraph(random)];
    const kinds = [paragraph, paragraph, displayMath, displayMath, list, table, quote, pythonCode, fortranCode, idlCode, paragraph];
    const count = random.int(4, 7);
    for (let i = 0; i < count; i++)
        blocks.push(random.pick(kinds)(random));
    return blocks;
}

/** An answer of close to `length` characters and no more (it ends at a whole block), from `seed`. */
export function syntheticAnswer(length: number, seed = 20_000): string {
    const random = new SeededRandom(seed);
    const blocks: string[] = [];
    let total = 0;
    for (let index = 1; ; index++) {
        for (const block of section(random, index)) {
            // Blocks are separated by a blank line; the answer ends with a newline.
            const added = block.length + (blocks.length === 0 ? 1 : 2);
            if (total + added > length)
                return blocks.join("\n\n") + "\n";
            blocks.push(block);
            total += added;
        }
    }
}

/**
 * The answer cut as a model's tokens arrive: pieces of 2 to 6 characters
 * (4 on average, as for English and LaTeX in Llama 3's tokenizer), with no
 * regard for lines or words, so frames end anywhere, mid-delimiter included.
 */
export function cutIntoTokens(text: string, seed = 4): string[] {
    const random = new SeededRandom(seed);
    const tokens: string[] = [];
    for (let at = 0; at < text.length;) {
        const size = random.int(2, 6);
        tokens.push(text.slice(at, at + size));
        at += size;
    }
    return tokens;
}
