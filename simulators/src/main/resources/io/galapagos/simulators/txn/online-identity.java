import io.galapagos.simulators.txn.ArrivalWindow;
import io.galapagos.simulators.txn.OnlineScheduler;

/** First come, first served: always run the oldest waiting transaction. */
public class FirstComeFirstServed implements OnlineScheduler {
    // EVOLVE-BLOCK-START
    @Override
    public int next(ArrivalWindow window) {
        return window.window().get(0).id();
    }
    // EVOLVE-BLOCK-END
}
