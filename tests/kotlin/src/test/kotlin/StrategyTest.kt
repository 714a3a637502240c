import barter.AccountEvent
import barter.AlgoStrategy
import barter.BacktestArgsConstant
import barter.BacktestArgsDynamic
import barter.BacktestConfig
import barter.BarterException
import barter.ForeignStrategy
import barter.InstrumentIndex
import barter.MarketDataInMemory
import barter.MarketEvent
import barter.OrderBookL1
import barter.Strategy
import barter.StrategyContext
import barter.SummaryInterval
import barter.Wakes
import barter.backtest
import java.math.BigDecimal
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * A strategy written in Kotlin, on barter's engine through the generated foreign traits: a port
 * of the built-in `Strategy.BUY_EVERY_TRADE` sends its orders (the same fills and summary), and
 * one that throws stops its backtest with `BarterException.Callback`.
 */
class StrategyTest {

    private val crateDir: String = System.getenv("BARTER_CRATE_DIR")
        ?: error("BARTER_CRATE_DIR must name the barter crate source directory")

    /** A market buy of every public trade, at its price and amount. */
    private class BuyEveryTrade : AlgoStrategy {
        var trades = 0

        override fun onTrade(context: StrategyContext, instrument: InstrumentIndex, price: Double, amount: Double, buy: Boolean) {
            trades += 1
            // Double.toString keeps a ".0" that barter's Decimal::from_f64 does not.
            context.marketBuy(instrument, BigDecimal(amount.toString()).stripTrailingZeros(), BigDecimal(price.toString()).stripTrailingZeros())
        }

        override fun onOrderBookL1(context: StrategyContext, instrument: InstrumentIndex, l1: OrderBookL1) = error("woken by trades only")

        override fun onMarketEvent(context: StrategyContext, event: MarketEvent) = error("woken by trades only")

        override fun onAccountEvent(context: StrategyContext, event: AccountEvent) = error("woken by trades only")
    }

    private fun <T> withArgs(block: (BacktestArgsConstant) -> T): T =
        BacktestConfig.fromFile("$crateDir/examples/config/backtest_config.json").use { config ->
            MarketDataInMemory.fromJsonLinesFile("$crateDir/examples/data/binance_spot_trades_l1_btcusdt_ethusdt_solusdt.json").use { data ->
                BacktestArgsConstant.fromConfig(config, data, SummaryInterval.DAILY).use(block)
            }
        }

    private fun foreign(strategy: AlgoStrategy) = ForeignStrategy(algo = strategy, wakes = Wakes(trades = true))

    @Test
    fun `a Kotlin port of BuyEveryTrade sends the built-in's orders`() {
        val kotlin = BuyEveryTrade()
        val (ported, builtIn) = withArgs { args ->
            val ported = backtest(args, BacktestArgsDynamic(id = "kotlin", riskFreeReturn = BigDecimal.ZERO, foreignStrategy = foreign(kotlin)))
            val builtIn = backtest(args, BacktestArgsDynamic(id = "kotlin", riskFreeReturn = BigDecimal.ZERO, strategy = Strategy.BUY_EVERY_TRADE))
            Pair(ported, builtIn)
        }
        assertEquals(11_032, kotlin.trades, "called once per public trade, never for the order book")
        val fills = ported.fills()!!
        assertTrue(fills.size >= 20, "only ${fills.size} fills")
        assertEquals(builtIn.fills(), fills)
        assertEquals(builtIn.summary(), ported.summary())
    }

    @Test
    fun `a strategy that throws stops its backtest with BarterException Callback`() {
        val throwing = object : AlgoStrategy {
            override fun onTrade(context: StrategyContext, instrument: InstrumentIndex, price: Double, amount: Double, buy: Boolean) =
                throw IllegalStateException("kotlin strategy bug")

            override fun onOrderBookL1(context: StrategyContext, instrument: InstrumentIndex, l1: OrderBookL1) = Unit

            override fun onMarketEvent(context: StrategyContext, event: MarketEvent) = Unit

            override fun onAccountEvent(context: StrategyContext, event: AccountEvent) = Unit
        }
        val error = assertThrows<BarterException.Callback> {
            withArgs { args -> backtest(args, BacktestArgsDynamic(id = "throws", riskFreeReturn = BigDecimal.ZERO, foreignStrategy = foreign(throwing))) }
        }
        assertTrue(error.reason.contains("kotlin strategy bug"), error.reason)
    }
}
