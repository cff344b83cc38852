"""The multi-year planning model as sparse matrices, and the two certificates.

Cockshott's n-year model (``nyearHarmony.java``, ``nyearplan.java``), for
years y = 0 … T-1, gross outputs x_y ≥ 0 and accumulations a_y ≥ 0, one per
capital cell c = (product k, industry j), in years 0 … T-2:

    net_y     = x_y - A x_y - E a_y ≥ 0          (E adds each cell's accumulation to its product)
    B_c x_jy  ≤ S_cy = δ_c^y K_c + Σ_{y'<y} δ_c^(y-1-y') a_cy'     (δ_c = 1 - depreciation)
    l · x_y   ≤ L_y

and the harmony plan maximises Σ H(net_iy / target_iy). A cell's stock stays
in its industry, decays every year, and what is accumulated in year y' stands
from year y'+1 on.

The solver works on a rescaled copy: intensities q = x / base output,
accumulation b in units of the capacity it adds (a = B_c·base_j·b), and
fulfilments r = net/target, so every row and column is of order one. This
module builds those matrices, turns any approximate solution into an exactly
feasible plan (``repair``), and turns any non-negative prices into a valid
upper bound on the harmony (``harmony_bound``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp

from core.planning.economy import Economy, cell_stocks, cells
from core.planning.harmony import effective_targets, harmony_conjugate

Array = np.ndarray[Any, np.dtype[np.float64]]
Index = np.ndarray[Any, np.dtype[np.int64]]
Mask = np.ndarray[Any, np.dtype[np.bool_]]
REPAIR_PASSES = 100


@dataclass(frozen=True)
class Groups:
    """Capital cells grouped by a key (their industry, or their product), for per-key reductions."""

    order: Index  # cells sorted by key
    starts: Index  # where each key's run begins in ``order``
    keys: Index  # the key of each run

    @classmethod
    def of(cls, keys: Index) -> Groups:
        order = np.argsort(keys, kind="stable")
        ranked = keys[order]
        if ranked.size == 0:
            empty = np.zeros(0, np.int64)
            return cls(order=order, starts=empty, keys=empty)
        starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
        return cls(order=order, starts=starts, keys=ranked[starts])

    def reduce(self, ufunc: np.ufunc, values: Array, size: int, empty: float) -> Array:
        """ufunc (minimum, maximum, add) over each key's cells; ``empty`` where a key has none."""
        out = np.full(size, empty)
        if self.starts.size:
            out[self.keys] = ufunc.reduceat(values[self.order], self.starts)
        return out

    def argmax(self, values: Array) -> Index:
        """For each key, the first cell with the largest value."""
        if self.starts.size == 0:
            return self.starts
        ranked = values[self.order]
        run = np.repeat(np.arange(self.starts.size), np.diff(np.r_[self.starts, ranked.size]))
        top = np.flatnonzero(ranked == np.maximum.reduceat(ranked, self.starts)[run])
        first = top[np.r_[True, run[top][1:] != run[top][:-1]]]
        return np.asarray(self.order[first])


@dataclass(frozen=True, eq=False)
class Users:
    """The input table's entries in order of the industry using them (CSC order), so that
    the smallest cut asked of each industry is one ``reduceat``."""

    product: Index  # the input
    user: Index  # the industry using it
    value: Array  # the coefficient, 0 where an industry uses its own product
    other: Mask  # True where the user is not the product's own industry
    starts: Index  # where each user's run begins
    keys: Index  # the user of each run

    @classmethod
    def of(cls, inputs: sp.csr_matrix) -> Users:
        table = sp.csc_matrix(inputs)
        table.sum_duplicates()
        user = np.repeat(np.arange(table.shape[1]), np.diff(table.indptr))
        product = table.indices.astype(np.int64)
        other = product != user
        starts = table.indptr[:-1][np.diff(table.indptr) > 0].astype(np.int64)
        return cls(
            product=product,
            user=user,
            value=np.where(other, table.data, 0.0),
            other=other,
            starts=starts,
            keys=user[starts],
        )

    def smallest(self, values: Array, size: int) -> Array:
        """For each industry, the smallest of ``values`` over its inputs (1 if it has none)."""
        out = np.ones(size)
        if self.starts.size:
            out[self.keys] = np.minimum(np.minimum.reduceat(values, self.starts), 1.0)
        return out


@dataclass(frozen=True, eq=False)
class Model:
    """One economy's planning model; ``net`` and ``limits`` act on z = (q, b)."""

    economy: Economy
    targets: Array  # Txn, zero targets replaced
    cell_product: Index
    cell_industry: Index
    coefficient: Array  # B_c
    keep: Array  # δ_c = 1 - depreciation
    stock: Array  # K_c, at the start of year 0
    output_scale: Array  # base output (1 where it is 0)
    cell_scale: Array  # B_c · output_scale[j(c)]
    net: sp.csr_matrix  # (T·n) x dim z: fulfilment each plan gives, r ≤ net·z
    limits: sp.csr_matrix  # capital rows (T·m) then labour rows (T)
    bounds: Array  # right-hand side of ``limits``
    labour_scale: Array  # L_y, or 1 where L_y = 0

    @property
    def years(self) -> int:
        return self.economy.years

    @property
    def size(self) -> int:
        return self.economy.size

    @property
    def cell_count(self) -> int:
        return int(self.cell_product.shape[0])

    @property
    def dimension(self) -> int:
        """Number of (q, b) variables."""
        return self.years * self.size + (self.years - 1) * self.cell_count

    @cached_property
    def transposes(self) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        """netᵀ and limitsᵀ in CSR, made once (the bound needs them at every check)."""
        return self.net.T.tocsr(), self.limits.T.tocsr()

    @cached_property
    def users(self) -> Users:
        """The input table grouped by user, made once (the repair reads it at every check)."""
        return Users.of(self.economy.inputs)

    @cached_property
    def by_industry(self) -> Groups:
        return Groups.of(self.cell_industry)

    @cached_property
    def by_product(self) -> Groups:
        return Groups.of(self.cell_product)

    def split(self, z: Array) -> tuple[Array, Array]:
        """Gross outputs (Txn) and accumulations (Txm, last year 0) in natural units."""
        t, n, m = self.years, self.size, self.cell_count
        gross = z[: t * n].reshape(t, n) * self.output_scale
        accumulation = np.zeros((t, m))
        accumulation[: t - 1] = z[t * n :].reshape(t - 1, m) * self.cell_scale
        return gross, accumulation


def build(economy: Economy, zero_target: float) -> Model:
    """Assemble the scaled matrices; O(T²·cells + T·nnz(A)) memory and time."""
    t = economy.years
    product, industry = cells(economy)
    m = int(product.shape[0])
    coefficient = economy.capital.data.astype(np.float64)
    keep = 1.0 - economy.depreciation.data.astype(np.float64)
    stock = cell_stocks(economy)
    output_scale = np.where(economy.base_output > 0, economy.base_output, 1.0)
    cell_scale = coefficient * output_scale[industry]
    targets = effective_targets(economy.targets, zero_target)
    supply = economy.labour_supply
    labour_scale = np.where(supply > 0, supply, 1.0)
    net = _net_rows(economy, targets, product, cell_scale, output_scale)
    limits, bounds = _limit_rows(economy, industry, keep, stock / cell_scale, output_scale)
    bounds[t * m :] = supply / labour_scale
    limits = (sp.diags(np.r_[np.ones(t * m), 1.0 / labour_scale]) @ limits).tocsr()
    return Model(
        economy=economy,
        targets=targets,
        cell_product=product,
        cell_industry=industry,
        coefficient=coefficient,
        keep=keep,
        stock=stock,
        output_scale=output_scale,
        cell_scale=cell_scale,
        net=net,
        limits=limits,
        bounds=bounds,
        labour_scale=labour_scale,
    )


def _net_rows(
    economy: Economy, targets: Array, product: Index, cell_scale: Array, output_scale: Array
) -> sp.csr_matrix:
    """r_y ≤ diag(1/target_y)·[(I - A)·diag(base)·q_y - E·diag(cell scale)·b_y]."""
    t, n = economy.years, economy.size
    m = int(product.shape[0])
    leontief = (sp.identity(n, format="csr") - economy.inputs) @ sp.diags(output_scale)
    blocks = [(sp.diags(1.0 / targets[y]) @ leontief).tocoo() for y in range(t)]
    rows = [b.row + y * n for y, b in enumerate(blocks)]
    cols = [b.col + y * n for y, b in enumerate(blocks)]
    vals = [b.data for b in blocks]
    for y in range(t - 1):
        rows.append(product + y * n)
        cols.append(t * n + y * m + np.arange(m))
        vals.append(-cell_scale / targets[y, product])
    shape = (t * n, t * n + (t - 1) * m)
    return sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape
    )


def _limit_rows(
    economy: Economy, industry: Index, keep: Array, initial: Array, output_scale: Array
) -> tuple[sp.csr_matrix, Array]:
    """Capital rows q_jy - Σ δ^(y-1-y')·b_cy' ≤ δ^y·K_c/(B_c·base_j), then labour rows."""
    t, n = economy.years, economy.size
    m = int(industry.shape[0])
    cell = np.arange(m)
    rows, cols, vals = [], [], []
    for y in range(t):
        rows.append(y * m + cell)
        cols.append(y * n + industry)
        vals.append(np.ones(m))
        for earlier in range(y):
            rows.append(y * m + cell)
            cols.append(t * n + earlier * m + cell)
            vals.append(-(keep ** (y - 1 - earlier)))
    labour = economy.labour * output_scale
    for y in range(t):
        rows.append(np.full(n, t * m + y))
        cols.append(y * n + np.arange(n))
        vals.append(labour)
    shape = (t * m + t, t * n + (t - 1) * m)
    matrix = sp.csr_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape
    )
    bounds = np.concatenate([keep**y * initial for y in range(t)] + [np.zeros(t)])
    return matrix, bounds


@dataclass(frozen=True)
class Feasible:
    """An exactly feasible plan in natural units."""

    gross: Array  # Txn
    accumulation: Array  # Txm (last year 0)
    net: Array  # Txn


def repair(model: Model, gross: Array, accumulation: Array) -> Feasible:
    """Make an approximate plan exactly feasible, year by year, losing as little as possible.

    Negative amounts become 0; each industry is cut to what its scarcest
    capital cell allows; a year over its labour supply is scaled down; and a
    product whose net output is negative first accumulates less, then its
    users are cut, those that are not short themselves first (``_users_cut``).
    Going forward in time keeps each year's fix consistent with the stocks
    the earlier years left.
    """
    economy = model.economy
    t = model.years
    x = np.maximum(gross, 0.0)
    a = np.maximum(accumulation, 0.0)
    a[t - 1] = 0.0
    stock = model.stock.copy()
    net = np.zeros_like(x)
    for y in range(t):
        if y > 0:
            stock = model.keep * stock + a[y - 1]
        x[y] = _within_capital(model, x[y], stock)
        x[y] = _within_labour(economy.labour, x[y], float(economy.labour_supply[y]))
        x[y], a[y], net[y] = _non_negative_net(model, x[y], a[y])
    return Feasible(gross=x, accumulation=a, net=net)


def _within_labour(labour: Array, x: Array, supply: float) -> Array:
    """Scale a year down to its labour supply (and below it by rounding, never above)."""
    out = x
    while float(labour @ out) > supply:
        out = out * (supply / float(labour @ out)) * (1.0 - 1e-15)
    return out


def _within_capital(model: Model, x: Array, stock: Array) -> Array:
    """Cut each industry to what its scarcest capital cell allows."""
    cap = model.by_industry.reduce(np.minimum, stock / model.coefficient, model.size, np.inf)
    out = np.minimum(x, cap)
    # B_c·(S_c/B_c) can round above S_c: step down one ulp where it would.
    over = model.coefficient * out[model.cell_industry] > stock
    if over.any():
        bad = np.unique(model.cell_industry[over])
        out[bad] = np.nextafter(out[bad], 0.0)
    return out


def _non_negative_net(model: Model, x: Array, a: Array) -> tuple[Array, Array, Array]:
    """Cut accumulation, then users, until no product is used more than it is made."""
    x, a = x.copy(), a.copy()
    for _ in range(REPAIR_PASSES):
        net = _net(model, x, a)
        short = net < 0
        if not short.any():
            return x, a, net
        acc = np.bincount(model.cell_product, weights=a, minlength=model.size)
        cut = short & (acc > 0)
        keep = np.ones(model.size)
        keep[cut] = np.nextafter(np.clip((acc[cut] + net[cut]) / acc[cut], 0.0, 1.0), 0.0)
        a *= keep[model.cell_product]
        net = _net(model, x, a)
        short = net < 0
        if short.any():
            x *= _users_cut(model, x, net, short)
    x[:] = 0.0
    a[:] = 0.0
    return x, a, np.zeros(model.size)


def _net(model: Model, x: Array, a: Array) -> Array:
    acc = np.bincount(model.cell_product, weights=a, minlength=model.size)
    return np.asarray(x - model.economy.inputs @ x - acc)


def _users_cut(model: Model, x: Array, net: Array, short: Mask) -> Array:
    """Factor per industry so that what still runs short covers its other users.

    A short product cuts only those users that are not short themselves:
    cutting a short user makes its own shortage worse, so its users are cut
    in turn, and on a dense table (the Spanish one) that cascade went on
    until the repair gave up and emptied the year. Where the users that are
    not short use too little to cover the shortage (or there are none),
    every other user is cut, as before.
    """
    users = model.users
    use = users.value * x[users.user]  # 0 on the diagonal
    spared = users.other & ~short[users.user]  # uses by users that are not short
    everyone = np.bincount(users.product, weights=use, minlength=model.size)
    free = np.bincount(users.product, weights=np.where(spared, use, 0.0), minlength=model.size)
    narrow = short & (free + net > 0)  # the users that are not short can cover it
    wide = short & ~narrow & (everyone > 0)
    pool = np.where(narrow, free, everyone)
    factor = np.ones(model.size)
    hit = narrow | wide
    factor[hit] = np.nextafter(np.clip((pool[hit] + net[hit]) / pool[hit], 0.0, 1.0), 0.0)
    pick = (narrow[users.product] & spared) | (wide[users.product] & users.other)
    return users.smallest(np.where(pick, factor[users.product], 1.0), model.size)


def harmony_bound(model: Model, prices: Array, rents: Array, wages: Array) -> float:
    """An upper bound on the harmony of every feasible plan, from any prices ≥ 0.

    Lagrangian duality: for prices p on the fulfilment rows, rents μ on the
    capital rows and wages w on the labour rows, Σ h*(p) + μ·S + w·L bounds
    the optimum whenever no activity makes a profit at those prices (every
    reduced cost ≤ 0). Approximate prices are first made to satisfy that
    (``_cascade``; if that fails, ``_forward``). Returns +inf if no finite
    bound can be certified.
    """
    t, m = model.years, model.cell_count
    p = np.maximum(prices, 1e-12)
    mu = np.maximum(rents, 0.0).reshape(t, m)
    w = np.maximum(wages, 0.0)
    bound = _certify(model, *_cascade(model, p, mu, w))
    if np.isfinite(bound):
        return bound
    return _certify(model, *_forward(model, p, mu, w))


def _forward(model: Model, p: Array, mu: Array, w: Array) -> tuple[Array, Array, Array]:
    """Make prices dual-feasible year by year: accumulation at a profit raises the price of
    what it uses; production at a profit raises the rents of cells with room, then the wage."""
    t, n, m = model.years, model.size, model.cell_count
    mu = mu.copy()
    if t > 1:
        p = p + _price_rises(model, _reduced(model, p, mu, w))
    d = _reduced(model, p, mu, w)
    profit = d[: t * n].reshape(t, n).copy()
    slack = -d[t * n :].reshape(t - 1, m) if t > 1 else np.zeros((0, m))
    for y in range(t):
        _rent_from_slack(model, y, profit, slack, mu)
    rise = _wage_rises(model, profit)
    if rise is None:
        return p, mu, np.full_like(w, np.inf)
    return p, mu, w + rise


def _certify(model: Model, p: Array, mu: Array, w: Array) -> float:
    """Σ h*(p) + μ·S + w·L if no activity makes a profit at these prices, else +inf."""
    t, m = model.years, model.cell_count
    if not (np.all(np.isfinite(p)) and np.all(np.isfinite(mu)) and np.all(np.isfinite(w))):
        return float("inf")
    d = _reduced(model, p, mu, w)
    if not np.all(np.isfinite(d)):
        return float("inf")
    if d.size and float(d.max()) > 1e-9 * max(1.0, float(p.max())):
        return float("inf")  # not dual-feasible beyond rounding: no certificate
    rhs = model.bounds
    return float(
        harmony_conjugate(p).sum() + np.dot(mu.ravel(), rhs[: t * m]) + np.dot(w, rhs[t * m :])
    )


def _reduced(model: Model, p: Array, mu: Array, w: Array) -> Array:
    """Reduced costs of the (q, b) columns: value made at prices p less rents and wages paid."""
    net_t, limits_t = model.transposes
    return np.asarray(net_t @ p - limits_t @ np.r_[mu.ravel(), w])


def _price_rises(model: Model, d: Array) -> Array:
    """Raise the price of a product just enough that accumulating it makes no profit."""
    t, n, m = model.years, model.size, model.cell_count
    gain = np.maximum(d[t * n :].reshape(t - 1, m), 0.0)
    per_unit = model.cell_scale / model.targets[: t - 1, model.cell_product]
    rises = np.zeros((t, n))
    for y in range(t - 1):
        rises[y] = model.by_product.reduce(np.maximum, gain[y] / per_unit[y], n, 0.0)
    return rises.ravel()


def _wage_rises(model: Model, profit: Array) -> Array | None:
    """Each year's wage rise that leaves no industry a profit; None if labour cannot absorb it."""
    labour = (model.economy.labour * model.output_scale)[None, :] / model.labour_scale[:, None]
    left = np.maximum(profit, 0.0)
    if np.any((left > 0) & (labour <= 0)):
        return None
    ratio = np.divide(left, labour, out=np.zeros_like(left), where=left > 0)
    return np.asarray(ratio.max(axis=1))


def _rent_from_slack(model: Model, y: int, profit: Array, slack: Array, mu: Array) -> None:
    """Turn each industry's profit in year y into rents of its cells.

    In year 1 nothing limits a rent: the profit goes to the cell whose
    stock is smallest, which raises the bound least. Later, a cell's rent can
    rise only as far as accumulating into it in an earlier year stays
    unprofitable (its "room"): the profit is poured into the industry's cells
    in order of room (water-filling), and what no cell can take is left for
    the wage.
    """
    m = model.cell_count
    if m == 0:
        return
    groups = model.by_industry
    if y == 0:
        best = groups.argmax(-model.bounds[:m])
        industry = model.cell_industry[best]
        delta = np.maximum(profit[0, industry], 0.0)
        mu[0, best] += delta
        profit[0, industry] -= delta
        return
    room = np.min(np.stack([slack[e] / model.keep ** (y - 1 - e) for e in range(y)]), axis=0)
    room = np.maximum(room, 0.0)
    order = groups.order[np.lexsort((-room[groups.order], model.cell_industry[groups.order]))]
    ranked = room[order]
    industry = model.cell_industry[order]
    starts = np.flatnonzero(np.r_[True, industry[1:] != industry[:-1]])
    run = np.repeat(np.arange(starts.size), np.diff(np.r_[starts, ranked.size]))
    total = np.cumsum(ranked)
    before = total - ranked - (total[starts] - ranked[starts])[run]
    delta = np.clip(np.maximum(profit[y, industry], 0.0) - before, 0.0, ranked)
    mu[y, order] += delta
    np.subtract.at(profit[y], industry, delta)
    for e in range(y):
        slack[e, order] -= model.keep[order] ** (y - 1 - e) * delta


def _cascade(model: Model, p: Array, mu: Array, w: Array) -> tuple[Array, Array, Array]:
    """Make prices dual-feasible from the last year back, with rents before wages.

    Going back from the last year, each industry's profit becomes rent of
    its cells: first as far as the cells' room allows, the rest spread over
    its cells in proportion to their size (so that the products they hold
    get dearer evenly). Accumulation that this makes profitable in earlier
    years raises the price of what is accumulated, and the profit that gives
    its makers is handled when their year comes. Year 1's rents need no
    room, so only industries without capital are left for the wage. One
    industry short of capital thus costs its own rents, not a wage rise for
    every industry, which is what keeps the bound close.
    """
    t, n, m = model.years, model.size, model.cell_count
    p, mu, w = p.copy(), mu.copy(), w.copy()
    groups = model.by_industry
    has_cells = np.zeros(n, dtype=bool)
    has_cells[model.cell_industry] = True
    own = model.net.diagonal()[: t * n].reshape(t, n)  # value of a unit of q at its own price
    for y in reversed(range(t)):
        if y == t - 1 and not has_cells.all():
            _cheaper_without_capital(p, _reduced(model, p, mu, w), own, has_cells, y)
        d = _reduced(model, p, mu, w)
        profit = d[: t * n].reshape(t, n).copy()
        slack = -d[t * n :].reshape(t - 1, m) if t > 1 else np.zeros((0, m))
        _rent_from_slack(model, y, profit, slack, mu)
        left = np.where(has_cells, np.maximum(profit[y], 0.0), 0.0)
        if m and left.any():
            size = groups.reduce(np.add, model.cell_scale, n, 1.0)
            mu[y] += left[model.cell_industry] * model.cell_scale / size[model.cell_industry]
        if y > 0:
            p = p + _price_rises(model, _reduced(model, p, mu, w))
    d = _reduced(model, p, mu, w)
    rise = _wage_rises(model, d[: t * n].reshape(t, n))
    if rise is None:
        return p, mu, np.full_like(w, np.inf)
    return p, mu, w + rise


def _cheaper_without_capital(p: Array, d: Array, own: Array, has_cells: Mask, y: int) -> None:
    """Lower the price of what a profitable industry without capital makes in the last year.

    Such an industry is limited only by its inputs and labour; where labour
    is to spare its product is made in abundance and is worth little, which
    a lower price says at a far smaller cost to the bound than a wage rise
    for everyone. Nothing is accumulated in the last year, so no
    accumulation turns profitable; its users' gains become their rents. The
    price falls at most to a hundredth; what is left goes to the wage.
    """
    n = own.shape[1]
    profit = np.maximum(d[y * n : (y + 1) * n], 0.0)
    cut = (~has_cells) & (profit > 0) & (own[y] > 0)
    if not cut.any():
        return
    index = y * n + np.flatnonzero(cut)
    lower = profit[cut] / own[y, cut]
    p[index] = np.maximum(p[index] - lower, p[index] / 100)
