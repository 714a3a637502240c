import barter.BacktestArgsConstant
import barter.BacktestArgsDynamic
import barter.BacktestConfig
import barter.BarterException
import barter.Drawdown
import barter.MarketDataInMemory
import barter.MeanDrawdown
import barter.Strategy
import barter.SummaryInterval
import barter.TearSheet
import barter.TearSheetAsset
import barter.TradingSummary
import barter.backtest
import barter.runBacktests
import barter.tradeToJson
import barter.tradingSummaryToJson
import com.google.gson.JsonArray
import com.google.gson.JsonElement
import com.google.gson.JsonObject
import com.google.gson.JsonParser
import java.io.File
import java.math.BigDecimal
import java.time.Duration
import java.time.Instant
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNotNull
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows

/**
 * The backtest of the Python tests, run on the JVM through the generated Kotlin bindings, must
 * summarise exactly as barter does natively (`target/parity/native_summary.json`, written by
 * the Rust parity test).
 */
class BacktestTest {

    private val crateDir: String = System.getenv("BARTER_CRATE_DIR")
        ?: error("BARTER_CRATE_DIR must name the barter crate source directory")
    private val configPath = "$crateDir/examples/config/backtest_config.json"
    private val marketDataPath = "$crateDir/examples/data/binance_spot_trades_l1_btcusdt_ethusdt_solusdt.json"

    /** barter's native summary; instruments and assets are lists in barter's order. */
    private val reference: JsonObject by lazy {
        val path = System.getProperty("parity.file")
            ?: error("system property parity.file is not set (surefire's argLine sets it)")
        val file = File(path)
        assertTrue(file.isFile, "reference summary $path does not exist: run the Rust parity test first")
        JsonParser.parseString(file.readText()).asJsonObject
    }

    private val interval: SummaryInterval by lazy {
        // barter serialises the interval as its type name ("Daily", "Annual252", "Annual365").
        SummaryInterval.valueOf(reference["interval"].asString.uppercase())
    }

    /** Runs [block] with the inputs every backtest here shares, as the Python tests build them. */
    private fun <T> withArgs(block: (BacktestConfig, BacktestArgsConstant) -> T): T =
        BacktestConfig.fromFile(configPath).use { config ->
            MarketDataInMemory.fromJsonLinesFile(marketDataPath).use { marketData ->
                BacktestArgsConstant.fromConfig(config, marketData, SummaryInterval.DAILY).use { args ->
                    block(config, args)
                }
            }
        }

    @Test
    fun `backtest summary equals barter's native summary`() {
        val summary = withArgs { config, args ->
            assertEquals(SummaryInterval.DAILY, args.summaryInterval())
            assertDecimal(reference["risk_free_return"], config.riskFreeReturn(), "config.risk_free_return")
            backtest(args, BacktestArgsDynamic(id = "kotlin", riskFreeReturn = config.riskFreeReturn())).summary()
        }

        assertEquals("kotlin", summary.id)
        assertDecimal(reference["risk_free_return"], summary.riskFreeReturn, "risk_free_return")
        assertTradingSummary(reference, summary.tradingSummary, "backtest", ENGINE_TIME_TOLERANCE)
    }

    @Test
    fun `runBacktests returns one native-equal summary per input, in input order`() {
        val ids = listOf("kotlin-0", "kotlin-1", "kotlin-2")
        val multi = withArgs { config, args ->
            runBacktests(args, ids.map { BacktestArgsDynamic(id = it, riskFreeReturn = config.riskFreeReturn()) }).summary()
        }

        assertEquals(ids.size.toULong(), multi.numBacktests)
        assertEquals(ids, multi.summaries.map { it.id })
        // Within the batch's duration, as for barter's own concurrent backtests (these run in event time).
        val engineTimeTolerance = multi.duration
        for (summary in multi.summaries) {
            assertDecimal(reference["risk_free_return"], summary.riskFreeReturn, "${summary.id}.risk_free_return")
            assertTradingSummary(reference, summary.tradingSummary, summary.id, engineTimeTolerance)
        }
    }

    /**
     * The simulated venue's backtest (BuyEveryTrade), whose reference tests/event_time.rs writes
     * next to the parity file from Rust with no FFI, and tests/python/test_simulated.py equals.
     */
    @Test
    fun `a backtest on the simulated venue equals the Rust and Python runs`() {
        val file = File(System.getProperty("parity.file")).resolveSibling("simulated_venue.json")
        assertTrue(file.isFile, "$file does not exist: run the Rust event-time test first")
        val reference = JsonParser.parseString(file.readText()).asJsonObject
        val (fills, summary) = BacktestConfig.fromJson(reference["config"].toString()).use { config ->
            MarketDataInMemory.fromJsonLinesFile(marketDataPath).use { marketData ->
                BacktestArgsConstant.fromConfig(config, marketData, SummaryInterval.DAILY).use { args ->
                    val trading = BacktestArgsDynamic(id = "simulated", riskFreeReturn = config.riskFreeReturn(), strategy = Strategy.BUY_EVERY_TRADE)
                    backtest(args, trading).use { result ->
                        val fills = JsonArray().apply { result.fills()!!.forEach { add(JsonParser.parseString(tradeToJson(it))) } }
                        fills to JsonParser.parseString(tradingSummaryToJson(result.summary().tradingSummary))
                    }
                }
            }
        }
        assertTrue(fills.size() >= 20, "only ${fills.size()} fills")
        assertEquals(reference["fills"], fills)
        assertEquals(reference["summary"], summary)
    }

    @Test
    fun `bad input raises the matching BarterException`() {
        val io = assertThrows<BarterException.Io> { MarketDataInMemory.fromJsonLinesFile("/nonexistent") }
        assertEquals("/nonexistent", io.path)

        assertThrows<BarterException.Json> { BacktestConfig.fromJson("{") }
    }

    // --- comparison helpers -------------------------------------------------------------------

    private fun assertTradingSummary(
        expected: JsonObject,
        actual: TradingSummary,
        path: String,
        engineTimeTolerance: Duration,
    ) {
        assertInstantNear(expected["time_engine_start"], actual.timeEngineStart, engineTimeTolerance, "$path.time_engine_start")
        assertInstantNear(expected["time_engine_end"], actual.timeEngineEnd, engineTimeTolerance, "$path.time_engine_end")

        val instruments = expected["instruments"].asJsonArray.map { it.asJsonObject }
        assertEquals(
            instruments.map { it["instrument"].asString },
            actual.instruments.map { it.instrument },
            "$path.instruments",
        )
        for ((expectedInstrument, entry) in instruments.zip(actual.instruments)) {
            assertKeys(expectedInstrument, "$path.${entry.instrument}", "instrument", "tear_sheet")
            assertTearSheet(expectedInstrument["tear_sheet"].asJsonObject, entry.tearSheet, "$path.${entry.instrument}")
        }

        val assets = expected["assets"].asJsonArray.map { it.asJsonObject }
        assertEquals(
            assets.map { it["exchange"].asString to it["asset"].asString },
            // serde names ExchangeId variants in snake_case: BINANCE_SPOT is "binance_spot".
            actual.assets.map { it.asset.exchange.name.lowercase() to it.asset.asset },
            "$path.assets",
        )
        for ((expectedAsset, entry) in assets.zip(actual.assets)) {
            val assetPath = "$path.${entry.asset.exchange.name.lowercase()}.${entry.asset.asset}"
            assertKeys(expectedAsset, assetPath, "exchange", "asset", "tear_sheet")
            assertTearSheetAsset(expectedAsset["tear_sheet"].asJsonObject, entry.tearSheet, assetPath)
        }
    }

    private fun assertTearSheet(expected: JsonObject, actual: TearSheet, path: String) {
        assertKeys(
            expected,
            path,
            "pnl", "pnl_return", "sharpe_ratio", "sortino_ratio", "calmar_ratio",
            "pnl_drawdown", "pnl_drawdown_mean", "pnl_drawdown_max", "win_rate", "profit_factor",
        )
        assertDecimal(expected["pnl"], actual.pnl, "$path.pnl")
        assertRatio(expected["pnl_return"], actual.pnlReturn.value, actual.pnlReturn.interval, "$path.pnl_return")
        assertRatio(expected["sharpe_ratio"], actual.sharpeRatio.value, actual.sharpeRatio.interval, "$path.sharpe_ratio")
        assertRatio(expected["sortino_ratio"], actual.sortinoRatio.value, actual.sortinoRatio.interval, "$path.sortino_ratio")
        assertRatio(expected["calmar_ratio"], actual.calmarRatio.value, actual.calmarRatio.interval, "$path.calmar_ratio")
        assertDrawdown(expected["pnl_drawdown"], actual.pnlDrawdown, "$path.pnl_drawdown")
        assertMeanDrawdown(expected["pnl_drawdown_mean"], actual.pnlDrawdownMean, "$path.pnl_drawdown_mean")
        assertDrawdown(expected["pnl_drawdown_max"], actual.pnlDrawdownMax, "$path.pnl_drawdown_max")
        assertOptional(expected["win_rate"], actual.winRate, "$path.win_rate") { json, winRate ->
            assertDecimal(json["value"], winRate.value, "$path.win_rate.value")
        }
        assertOptional(expected["profit_factor"], actual.profitFactor, "$path.profit_factor") { json, factor ->
            assertDecimal(json["value"], factor.value, "$path.profit_factor.value")
        }
    }

    private fun assertTearSheetAsset(expected: JsonObject, actual: TearSheetAsset, path: String) {
        assertKeys(expected, path, "balance_end", "drawdown", "drawdown_mean", "drawdown_max")
        assertOptional(expected["balance_end"], actual.balanceEnd, "$path.balance_end") { json, balance ->
            assertDecimal(json["total"], balance.total, "$path.balance_end.total")
            assertDecimal(json["free"], balance.free, "$path.balance_end.free")
        }
        assertDrawdown(expected["drawdown"], actual.drawdown, "$path.drawdown")
        assertMeanDrawdown(expected["drawdown_mean"], actual.drawdownMean, "$path.drawdown_mean")
        assertDrawdown(expected["drawdown_max"], actual.drawdownMax, "$path.drawdown_max")
    }

    /** Decimals cross as text on both sides, so they must be equal including their scale. */
    private fun assertDecimal(expected: JsonElement, actual: BigDecimal, path: String) {
        assertEquals(BigDecimal(expected.asString), actual, path)
    }

    /** A `{value, interval}` metric; serde writes barter's unit-struct interval as null. */
    private fun assertRatio(expected: JsonElement, value: BigDecimal, actualInterval: SummaryInterval, path: String) {
        val json = expected.asJsonObject
        assertKeys(json, path, "value", "interval")
        assertDecimal(json["value"], value, "$path.value")
        assertEquals(interval, actualInterval, "$path.interval")
    }

    private fun assertDrawdown(expected: JsonElement, actual: Drawdown?, path: String) =
        assertOptional(expected, actual, path) { json, drawdown ->
            assertKeys(json, path, "value", "time_start", "time_end")
            assertDecimal(json["value"], drawdown.value, "$path.value")
            assertEquals(Instant.parse(json["time_start"].asString), drawdown.timeStart, "$path.time_start")
            assertEquals(Instant.parse(json["time_end"].asString), drawdown.timeEnd, "$path.time_end")
        }

    private fun assertMeanDrawdown(expected: JsonElement, actual: MeanDrawdown?, path: String) =
        assertOptional(expected, actual, path) { json, mean ->
            assertKeys(json, path, "mean_drawdown", "mean_drawdown_ms")
            assertDecimal(json["mean_drawdown"], mean.meanDrawdown, "$path.mean_drawdown")
            assertEquals(json["mean_drawdown_ms"].asLong, mean.meanDrawdownMs, "$path.mean_drawdown_ms")
        }

    /** JSON null must be Kotlin null; anything else must be present and match [assertPresent]. */
    private fun <T : Any> assertOptional(
        expected: JsonElement?,
        actual: T?,
        path: String,
        assertPresent: (JsonObject, T) -> Unit,
    ) {
        assertNotNull(expected, "$path missing from the reference")
        if (expected!!.isJsonNull) {
            assertNull(actual, path)
        } else {
            assertNotNull(actual, path)
            assertPresent(expected.asJsonObject, actual!!)
        }
    }

    /** Every field of the reference is compared: a field added on the Rust side fails here. */
    private fun assertKeys(expected: JsonObject, path: String, vararg keys: String) {
        assertEquals(keys.toSet(), expected.keySet(), "$path fields")
    }

    /** Engine times only: barter's HistoricalClock adds the wall-clock time since the last event to them. */
    private fun assertInstantNear(expected: JsonElement, actual: Instant, tolerance: Duration, path: String) {
        val expectedTime = Instant.parse(expected.asString)
        val difference = Duration.between(expectedTime, actual).abs()
        assertTrue(
            difference <= tolerance,
            "$path: $actual is $difference away from the reference $expectedTime (tolerance $tolerance)",
        )
    }

    private companion object {
        /**
         * The reference is barter's own backtest, whose clock adds wall-clock time to the engine
         * times (this one runs in event time, with the data's times): within it.
         */
        val ENGINE_TIME_TOLERANCE: Duration = Duration.ofMillis(10)
    }
}
