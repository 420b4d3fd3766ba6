/**
 * Which astronomy libraries and conventions a piece of code relies on, from
 * the file's imports and the code itself, each with a short hint of what a
 * careful referee would check in code that uses it. In Python a library
 * counts only when the code uses a name imported from it, so a file that
 * imports astropy.coordinates does not bring frame advice to a Gaussian fit.
 */
import type {Language, LanguageFamily} from "./languages.ts";

export type AstronomyStack = {
    id: string;
    /** How the user-visible prompt names it: "astropy", "CFITSIO"; "" when the language's name says it. */
    name: string;
    /** What to check in code that uses it; "" when another stack's hint covers it. */
    hint: string;
};

type StackRule = {
    id: string;
    /** The name, or the name per language ("" names nothing: the language's own library has its rule). */
    name: string | Partial<Record<LanguageFamily, string>>;
    /** The hint, or the hint per language (FITS conventions read differently from numpy, IDL or C). */
    hint: string | Partial<Record<LanguageFamily, string>>;
    /** Python modules whose imported names, when the code uses them, show the stack. */
    modules?: string[];
    /** Code that shows it, per language (matched against code with comments and strings blanked). */
    code?: Partial<Record<LanguageFamily, RegExp>>;
    /** Import statements that show it, for languages that import whole namespaces. */
    imports?: Partial<Record<LanguageFamily, RegExp>>;
};

const fitsKeywords = "FITS: header keywords (BUNIT, EXPTIME, CRPIX/CRVAL/CD or CDELT/PC, CTYPE, EQUINOX), BSCALE/BZERO scaling";
const fitsHint: Partial<Record<LanguageFamily, string>> = {
    python: `${fitsKeywords}; FITS is column-major, so a numpy array is [y, x] (NAXIS2, NAXIS1); FITS pixels are 1-based, numpy's 0-based.`,
    idl: `${fitsKeywords}; IDL arrays are [x, y] like FITS (NAXIS1 first) but 0-based, while FITS pixels are 1-based.`,
    c: `${fitsKeywords}; NAXIS1 varies fastest, so pixel (x, y) is element y*NAXIS1 + x; FITS pixels are 1-based, C indices 0-based.`,
    fortran: `${fitsKeywords}; FITS is column-major and 1-based like Fortran arrays (NAXIS1 first).`,
    julia: `${fitsKeywords}; FITS is column-major and 1-based like Julia arrays, so an image is [x, y].`
};
const idlFitsRoutines = /\b(?:readfits|writefits|headfits|mrdfits|mwrfits|sxpar|sxaddpar|sxdelpar|fxpar|fxaddpar|fxread|fits_read|fits_open)\b/i;
const idlAstrometryRoutines = /\b(?:xyad|adxy|extast|putast|getrot|hextract|hrebin|hrot|hcongrid|hastrom)\b/i;
const cfitsioCalls = /\b(?:fits_\w+|ff[a-z]{3,6})\s*\(|\bfitsfile\b/;
const fortranFitsioCalls = /\bft(?:open|nopn|dopn|init|clos|giou|fiou|gkyj|gkyd|gkye|gkys|gkyl|gisz|gipr|gpve|gpvd|gpvj|ppre|pprd|phps|gcvd|gcve|gcvj)\b/i;
const wcslibCalls = /\bwcs(?:p2s|s2p|set|pih|bth|free|vfree|sub|fix)\s*\(|\bstruct\s+wcsprm\b/;

const rules: StackRule[] = [
    {
        id: "astropy.units", name: "astropy",
        hint: "astropy.units: the units of every quantity and where they change; equivalencies (u.spectral(), u.spectral_density(), u.doppler_*, u.parallax()); `.value` drops units silently.",
        modules: ["astropy.units", "astropy.constants"],
        code: {python: /\bu\.(?:km|m|s|kpc|pc|Mpc|au|AU|deg|arcsec|arcmin|mas|rad|Msun|solMass|Lsun|solLum|Rsun|Jy|mJy|uJy|erg|K|Angstrom|AA|micron|um|nm|Hz|GHz|MHz|yr|day|year|cm|g|kg|W|mag|ABmag|spectral|spectral_density|parallax|dimensionless_unscaled|Quantity|doppler_\w+)\b/}
    },
    {
        id: "unitful", name: "Unitful",
        hint: "Unitful: the units of every quantity, `ustrip` dropping them, and conversions with `uconvert`.",
        imports: {julia: /\bUnitful\b/}
    },
    {
        id: "astropy.coordinates", name: "astropy",
        hint: "astropy.coordinates: frames and epochs (ICRS vs FK5/FK4, equinox J2000 vs B1950), obstime and location for AltAz, proper motions and distances.",
        modules: ["astropy.coordinates"],
        code: {python: /\b(?:SkyCoord|EarthLocation|AltAz|FK5|FK4|ICRS|GCRS|Galactocentric)\s*\(/}
    },
    {
        id: "astropy.time", name: "astropy",
        hint: "astropy.time: time scales (UTC, TT, TDB) and formats (JD, MJD, ISO), light-travel-time and barycentric corrections.",
        modules: ["astropy.time"]
    },
    {
        id: "fits", name: {python: "astropy", julia: "FITSIO.jl"},
        hint: fitsHint,
        modules: ["astropy.io.fits"],
        code: {
            python: /\bfits\.(?:open|getdata|getheader|getval|writeto|PrimaryHDU|ImageHDU|BinTableHDU|HDUList|Header)\b/,
            idl: idlFitsRoutines,
            c: cfitsioCalls,
            fortran: fortranFitsioCalls
        },
        imports: {julia: /\bFITSIO\b/}
    },
    {
        id: "wcs", name: {python: "astropy"},
        hint: {
            python: "WCS: pixel_to_world and world_to_pixel use 0-based pixels, all_pix2world and wcs_pix2world take the origin as an argument (1 for the FITS convention); CD vs CDELT/PC matrices, SIP distortion, the order of the celestial axes.",
            idl: "WCS: CRPIX in the header is 1-based, IDL pixels 0-based; CD vs CDELT/PC matrices; the order of the celestial axes."
        },
        modules: ["astropy.wcs"],
        code: {
            python: /\bWCS\(|\.(?:wcs_pix2world|all_pix2world|wcs_world2pix|all_world2pix|pixel_to_world|world_to_pixel)\(/,
            idl: idlAstrometryRoutines
        }
    },
    {id: "fitsio", name: "fitsio", hint: fitsHint, modules: ["fitsio"]},
    {
        id: "astropy.cosmology", name: "astropy",
        hint: "astropy.cosmology: which cosmology and H0 are assumed (little-h conventions), and comoving vs proper vs luminosity vs angular-diameter distances.",
        modules: ["astropy.cosmology"],
        code: {python: /\b(?:FlatLambdaCDM|LambdaCDM|FlatwCDM|wCDM|Planck1[358]|WMAP[579])\b|\.(?:luminosity_distance|comoving_distance|angular_diameter_distance|lookback_time|distmod)\(/}
    },
    {
        id: "astropy.table", name: "astropy",
        hint: "astropy.table: column units and masked values; Table vs QTable.",
        modules: ["astropy.table"],
        code: {python: /\bQ?Table\.read\(/}
    },
    {
        id: "numpy", name: "numpy",
        hint: "numpy: broadcasting, dtypes (integer division, float32 precision, overflow), NaN handling (nan-aware reductions, masks), axis order, views vs copies.",
        modules: ["numpy"],
        code: {python: /\bnp\.\w/}
    },
    {
        id: "scipy.optimize", name: "scipy",
        hint: "scipy.optimize: the optimizer's assumptions: initial guesses, bounds, sigma and absolute_sigma in curve_fit, what the returned covariance means, local minima.",
        modules: ["scipy.optimize"],
        code: {python: /\b(?:curve_fit|least_squares|leastsq)\(|\boptimize\.\w+\(/}
    },
    {
        id: "scipy.integrate", name: "scipy",
        hint: "scipy.integrate: tolerances, singular or infinite limits, the units of the integration variable, stiffness for ODE solvers.",
        modules: ["scipy.integrate"],
        code: {python: /\b(?:solve_ivp|odeint|cumulative_trapezoid|cumtrapz)\(|\bintegrate\.\w+\(/}
    },
    {
        id: "scipy.interpolate", name: "scipy",
        hint: "scipy.interpolate: extrapolation outside the data, sorted x, the interpolant's smoothness and ringing.",
        modules: ["scipy.interpolate"],
        code: {python: /\b(?:interp1d|UnivariateSpline|InterpolatedUnivariateSpline|RegularGridInterpolator|RectBivariateSpline|CubicSpline|griddata)\(/}
    },
    {id: "scipy", name: "scipy", hint: "", modules: ["scipy"]},
    {
        id: "matplotlib", name: "matplotlib",
        hint: "matplotlib: image orientation (origin='lower' for sky images), axis units and scales, magnitude axes inverted.",
        modules: ["matplotlib"],
        code: {python: /\bplt\.\w/}
    },
    {
        id: "emcee", name: "emcee",
        hint: "emcee: log-priors (-inf outside their support), walker initialisation, burn-in, thinning, and the autocorrelation time.",
        modules: ["emcee"],
        code: {python: /\bemcee\./}
    },
    {
        id: "healpy", name: "healpy",
        hint: "healpy: RING vs NESTED ordering, nside and pixel area, angles in radians with theta the colatitude unless lonlat=True, Galactic vs equatorial maps.",
        modules: ["healpy"],
        code: {python: /\bhp\.(?:ang2pix|pix2ang|nside2npix|npix2nside|read_map|write_map|mollview|query_disc|ud_grade|ang2vec|vec2pix|pix2vec|nside2resol)\b/}
    },
    {
        id: "photutils", name: "photutils",
        hint: "photutils: aperture and annulus sizes, background subtraction, 0-based pixel centres, error propagation.",
        modules: ["photutils"],
        code: {python: /\b(?:CircularAperture|CircularAnnulus|aperture_photometry|DAOStarFinder|ApertureStats)\b/}
    },
    {
        id: "specutils", name: "specutils",
        hint: "specutils: spectral axis units (wavelength, frequency, velocity), Doppler conventions (optical, radio, relativistic), flux density per unit wavelength vs per unit frequency.",
        modules: ["specutils"],
        code: {python: /\b(?:Spectrum1D|SpectralRegion)\b/}
    },
    {
        id: "lightkurve", name: "lightkurve",
        hint: "lightkurve: normalisation, quality flags and NaNs, cadence; flattening and sigma clipping can remove transits or flares.",
        modules: ["lightkurve"],
        code: {python: /\blk\.(?:search_lightcurve|search_targetpixelfile|read)\b|\bLightCurve\(/}
    },
    {
        id: "idl-astrolib", name: "IDL Astronomy Library",
        hint: "IDL Astronomy Library: sxpar returns 0, not an error, for a missing keyword unless COUNT is checked; xyad/adxy pixels are 0-based; hextract and hrebin update the header's astrometry.",
        code: {idl: new RegExp(`${idlFitsRoutines.source}|${idlAstrometryRoutines.source}|\\b(?:precess|jprecess|bprecess|glactc|ct2lst|eq2hor|hor2eq|jdcnv|daycnv|juldate|lumdist|cosmo_param|aper|cntrd|gcntrd|gcirc|posang)\\b`, "i")}
    },
    {
        id: "cfitsio", name: "CFITSIO",
        hint: "CFITSIO: status must be 0 on entry and checked after each call; first pixels, rows and columns are 1-based; the datatype code (TDOUBLE, TFLOAT) converts on reading.",
        code: {c: cfitsioCalls, fortran: fortranFitsioCalls}
    },
    {
        id: "wcslib", name: "WCSLIB",
        hint: "WCSLIB: wcsset before use, the status codes, 1-based pixel coordinates in wcsp2s/wcss2p, world coordinates in degrees.",
        code: {c: wcslibCalls}
    }
];

/** Python import statements as the names they bind and the modules those come from. */
export function pythonBindings(statements: readonly string[]): {name: string; module: string}[] {
    const bindings: {name: string; module: string}[] = [];
    for (const statement of statements) {
        const text = statement.replace(/#.*$/gm, "").replace(/[()\\]/g, " ").replace(/\s+/g, " ").trim();
        const from = /^from\s+([\w.]+)\s+import\s+(.+)$/.exec(text);
        const plain = /^import\s+(.+)$/.exec(text);
        for (const part of (from?.[2] ?? plain?.[1] ?? "").split(",")) {
            const [, path, alias] = /^\s*([\w.*]+)(?:\s+as\s+(\w+))?\s*$/.exec(part) ?? [];
            if (path == null)
                continue;
            if (from != null)
                bindings.push({name: alias ?? path, module: path === "*" ? from[1]! : `${from[1]}.${path}`});
            else
                bindings.push({name: alias ?? path.split(".")[0]!, module: path});
        }
    }
    return bindings;
}

export type StackEvidence = {
    language: Language;
    /** The file's import statements. */
    imports: readonly string[];
    /** The code explained and the definitions sent with it, comments and strings blanked. */
    code: string;
    /** Free names the code uses (see codeContext.usedNames). */
    names: ReadonlySet<string>;
};

export function detectStacks({language, imports, code, names}: StackEvidence): AstronomyStack[] {
    const {family} = language;
    const bindings = family === "python" ? pythonBindings(imports) : [];
    const importText = imports.join("\n");
    const fromModule = (module: string, prefixes: readonly string[]) => prefixes.some((prefix) => module === prefix || module.startsWith(`${prefix}.`));
    const found = rules.filter((rule) =>
        (rule.modules != null && bindings.some((binding) => fromModule(binding.module, rule.modules!) && (binding.name === "*" || names.has(binding.name))))
        || (rule.code?.[family]?.test(code) ?? false)
        || (rule.imports?.[family]?.test(importText) ?? false));
    // scipy is named for its other submodules only.
    const specificScipy = found.some((rule) => rule.id.startsWith("scipy."));
    return found
        .filter((rule) => !(rule.id === "scipy" && specificScipy))
        .map(({id, name, hint}) => ({
            id,
            name: typeof name === "string" ? name : name[family] ?? "",
            hint: typeof hint === "string" ? hint : hint[family] ?? ""
        }));
}

/** What to check in any code in the language, given the code (IDL's compile_opt and Fortran's IMPLICIT NONE change the rules). */
export function languageHint(language: Language, fileMasked: string, code: string): string | undefined {
    switch (language.family) {
        case "idl":
            return /\bcompile_opt\b[^\n]*\b(?:idl2|defint32)\b/i.test(code)
                ? "IDL: arrays are 0-based and column-major (a[x, y]); integer division; this code sets compile_opt idl2 (or defint32), so integers are 32-bit and arrays are indexed with []."
                : "IDL: arrays are 0-based and column-major (a[x, y]); integer division; without compile_opt idl2, integers are 16-bit (overflow past 32767) and a(i) may be a function call.";
        case "fortran":
            return `Fortran: arrays are 1-based unless declared otherwise, and column-major; COMMON blocks; kind parameters (a literal without _dp is single precision); argument intent.${/\bimplicit\s+none\b/i.test(fileMasked) ? "" : " This file has no IMPLICIT NONE: names starting with I-N are integers."}`;
        case "c":
            return `${language.displayName}: integer division, row-major arrays (the last index varies fastest, unlike FITS and Fortran), float vs double precision, buffer sizes and off-by-one loops.`;
        case "julia":
            return "Julia: arrays are 1-based and column-major (like FITS and Fortran); integer overflow and division (÷ vs /); type stability.";
        default:
            return undefined;
    }
}
